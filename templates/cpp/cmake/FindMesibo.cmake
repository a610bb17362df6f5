# FindMesibo: mesibo's C++ library as the imported target mesibo::mesibo.
#
# mesibo's installer (github.com/mesibo/libmesibo install.sh) puts mesibo.h and libmesibo.so in
# /usr/include and /usr/lib on Linux, and mesibo.h in ~/Library/mesibo/include with one libmesibo.dylib
# per CPU in ~/Library/mesibo/lib/<x86_64|arm64> on macOS. MESIBO_ROOT selects another copy: a folder
# holding include/mesibo.h and lib/libmesibo.*, then the only place searched.
#
# The installer picks the library by OS, not by CPU (an aarch64 Linux that is not a Raspberry Pi gets the
# x86_64 build), so the library's architecture is read from its ELF or Mach-O header and compared with
# the build's: a mismatch stops here, not with a cryptic linker error.

set(MESIBO_ROOT "" CACHE PATH "Folder with mesibo's include/ and lib/ (default: where mesibo's installer puts them)")
set(MESIBO_INSTALL_COMMAND "curl -s https://raw.githubusercontent.com/mesibo/libmesibo/master/install.sh | sudo bash -")

# The CPU this build makes code for, in the names mesibo's folders use.
if(APPLE AND CMAKE_OSX_ARCHITECTURES)
  set(_mesibo_build_arch "${CMAKE_OSX_ARCHITECTURES}")
else()
  set(_mesibo_build_arch "${CMAKE_SYSTEM_PROCESSOR}")
endif()
string(TOLOWER "${_mesibo_build_arch}" _mesibo_build_arch)
if(_mesibo_build_arch MATCHES "^(x86_64|amd64|x64)$")
  set(_mesibo_build_arch x86_64)
elseif(_mesibo_build_arch MATCHES "^(aarch64|arm64)$")
  set(_mesibo_build_arch arm64)
endif()
if(CMAKE_SIZEOF_VOID_P EQUAL 4)
  set(_mesibo_build_arch "32-bit ${_mesibo_build_arch}")
endif()

if(MESIBO_ROOT)
  set(_mesibo_places "${MESIBO_ROOT}/include and ${MESIBO_ROOT}/lib")
  find_path(MESIBO_INCLUDE_DIR mesibo.h PATHS "${MESIBO_ROOT}/include" NO_DEFAULT_PATH)
  find_library(MESIBO_LIBRARY mesibo PATHS "${MESIBO_ROOT}/lib" NO_DEFAULT_PATH)
elseif(APPLE)
  set(_mesibo_places "~/Library/mesibo/include and ~/Library/mesibo/lib/${_mesibo_build_arch}")
  find_path(MESIBO_INCLUDE_DIR mesibo.h PATHS "$ENV{HOME}/Library/mesibo/include")
  find_library(MESIBO_LIBRARY mesibo PATHS "$ENV{HOME}/Library/mesibo/lib/${_mesibo_build_arch}")
else()
  set(_mesibo_places "/usr/include and /usr/lib")
  find_path(MESIBO_INCLUDE_DIR mesibo.h PATHS /usr/include)
  find_library(MESIBO_LIBRARY mesibo PATHS /usr/lib)
endif()

if(NOT MESIBO_INCLUDE_DIR OR NOT MESIBO_LIBRARY)
  message(FATAL_ERROR
    "mesibo's C++ library was not found: no mesibo.h and libmesibo in ${_mesibo_places}.\n"
    "Install it with mesibo's installer, then run cmake again:\n"
    "  ${MESIBO_INSTALL_COMMAND}\n"
    "(or pass -DMESIBO_ROOT=<folder with include/ and lib/> to use a copy elsewhere)")
endif()

# The library's CPU from its header: ELF e_machine (bytes 18-19, little-endian) or Mach-O cputype (4-7).
file(READ "${MESIBO_LIBRARY}" _mesibo_head LIMIT 20 HEX)
string(SUBSTRING "${_mesibo_head}" 0 8 _mesibo_magic)
set(_mesibo_lib_arch "")
if(_mesibo_magic STREQUAL "7f454c46")
  string(SUBSTRING "${_mesibo_head}" 8 2 _mesibo_class)
  string(SUBSTRING "${_mesibo_head}" 36 4 _mesibo_machine)
  set(_mesibo_elf_3e00 x86_64)
  set(_mesibo_elf_b700 arm64)
  set(_mesibo_elf_2800 arm)
  set(_mesibo_elf_0300 x86)
  set(_mesibo_elf_f300 riscv)
  set(_mesibo_lib_arch "${_mesibo_elf_${_mesibo_machine}}")
  if(NOT _mesibo_lib_arch)
    set(_mesibo_lib_arch "ELF machine 0x${_mesibo_machine}")
  endif()
  if(_mesibo_class STREQUAL "01")
    set(_mesibo_lib_arch "32-bit ${_mesibo_lib_arch}")
  endif()
  set(_mesibo_lib_format "Linux (ELF)")
elseif(_mesibo_magic STREQUAL "cffaedfe")
  string(SUBSTRING "${_mesibo_head}" 8 8 _mesibo_cpu)
  set(_mesibo_macho_07000001 x86_64)
  set(_mesibo_macho_0c000001 arm64)
  set(_mesibo_lib_arch "${_mesibo_macho_${_mesibo_cpu}}")
  set(_mesibo_lib_format "macOS (Mach-O)")
endif()
# A universal (fat) Mach-O, or a format not known here, is left to the linker.
if(_mesibo_lib_arch)
  set(_mesibo_expected_format "Linux (ELF)")
  if(APPLE)
    set(_mesibo_expected_format "macOS (Mach-O)")
  endif()
  if(NOT _mesibo_lib_arch STREQUAL _mesibo_build_arch OR NOT _mesibo_lib_format STREQUAL _mesibo_expected_format)
    message(FATAL_ERROR
      "${MESIBO_LIBRARY} is mesibo's library for ${_mesibo_lib_format} ${_mesibo_lib_arch}, but this build "
      "is for ${_mesibo_expected_format} ${_mesibo_build_arch}: it cannot be linked.\n"
      "Install the build of libmesibo for this machine (mesibo/libmesibo on GitHub has linux/, raspberry/ "
      "and mac/<arch>/), or pass -DMESIBO_ROOT=<folder with include/ and lib/> to use a matching copy.")
  endif()
endif()

add_library(mesibo::mesibo SHARED IMPORTED)
set_target_properties(mesibo::mesibo PROPERTIES
  IMPORTED_LOCATION "${MESIBO_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${MESIBO_INCLUDE_DIR}")
set(Mesibo_FOUND TRUE)
mark_as_advanced(MESIBO_INCLUDE_DIR MESIBO_LIBRARY)
