# Evaluates a Podfile with a stand-in for CocoaPods' DSL and prints what it declared as JSON:
#   ruby podfile_shim.rb path/to/Podfile
# Only the DSL the starter uses (and its usual neighbours) exists here; anything else fails loudly.
require 'json'

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

  def pod(name, *requirements)
    raise "pod #{name} outside a target block" unless @target
    @target << [name, *requirements.map(&:to_s)]
  end
end

recorder = PodfileRecorder.new
recorder.instance_eval(File.read(ARGV.fetch(0)), ARGV.fetch(0))
puts JSON.generate(recorder.record)
