# Evaluates a Podfile with a stand-in for CocoaPods' DSL and prints what it declared as JSON:
#   ruby podfile_shim.rb path/to/Podfile
# Only the DSL the starter uses (and its usual neighbours) exists here; anything else fails loudly.
# A post_install block runs against a stand-in installer: one aggregate target whose user project holds
# each declared target plus one the Podfile did not declare, each with Debug and Release configurations
# (CocoaPods' Installer#aggregate_targets, AggregateTarget#user_targets / #user_project, and
# Xcodeproj's build_configurations / build_settings / save); the record shows the settings it left.
require 'json'

FakeConfig = Struct.new(:name, :build_settings)
FakeTarget = Struct.new(:name, :build_configurations)

class FakeProject
  attr_reader :saves

  def initialize
    @saves = 0
  end

  def save
    @saves += 1
  end
end

FakeAggregate = Struct.new(:user_targets, :user_project)
FakeInstaller = Struct.new(:aggregate_targets)

class PodfileRecorder
  attr_reader :record

  def initialize
    @record = { 'platform' => nil, 'targets' => {}, 'sources' => [], 'use_frameworks' => false }
    @target = nil
  end

  def platform(name, version = nil)
    @record['platform'] = [name.to_s, version]
  end

  def source(url)
    @record['sources'] << url
  end

  def use_frameworks!(*)
    @record['use_frameworks'] = true
  end

  def target(name)
    raise 'nested target blocks are not expected here' if @target
    @target = @record['targets'][name] = []
    yield
  ensure
    @target = nil
  end

  def post_install(&block)
    raise 'one post_install block is expected' if @post_install
    @post_install = block
  end

  def run_post_install
    return unless @post_install

    names = @record['targets'].keys + ['UndeclaredTarget']
    targets = names.map { |n| FakeTarget.new(n, %w[Debug Release].map { |c| FakeConfig.new(c, {}) }) }
    project = FakeProject.new
    @post_install.call(FakeInstaller.new([FakeAggregate.new(targets, project)]))
    @record['post_install'] = {
      'settings' => targets.to_h { |t| [t.name, t.build_configurations.to_h { |c| [c.name, c.build_settings] }] },
      'saves' => project.saves
    }
  end

  def pod(name, *requirements)
    raise "pod #{name} outside a target block" unless @target
    @target << [name, *requirements.map(&:to_s)]
  end
end

recorder = PodfileRecorder.new
recorder.instance_eval(File.read(ARGV.fetch(0)), ARGV.fetch(0))
recorder.run_post_install
puts JSON.generate(recorder.record)
