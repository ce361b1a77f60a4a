# Finds OpenCV from Debian's per-component packages (libopencv-core-dev, ...).
# Those ship headers and .so links but no OpenCVConfig.cmake or opencv4.pc (only the
# libopencv-dev meta package does, and it drags in hundreds of packages), so we make
# imported targets OpenCV::<component> ourselves. Works the same in a cross sysroot.
#
#   find_package(OpenCVComponents REQUIRED COMPONENTS core imgproc ...)

find_path(OpenCVComponents_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
# cvconfig.h sits in the multiarch include folder.
find_path(OpenCVComponents_ARCH_INCLUDE_DIR opencv2/cvconfig.h
          PATH_SUFFIXES opencv4 ${CMAKE_LIBRARY_ARCHITECTURE}/opencv4)

set(_ocv_missing "")
foreach(_c IN LISTS OpenCVComponents_FIND_COMPONENTS)
  find_library(OpenCVComponents_${_c}_LIBRARY NAMES opencv_${_c})
  if(OpenCVComponents_${_c}_LIBRARY)
    set(OpenCVComponents_${_c}_FOUND TRUE)
    if(NOT TARGET OpenCV::${_c})
      add_library(OpenCV::${_c} SHARED IMPORTED)
      set_target_properties(OpenCV::${_c} PROPERTIES
        IMPORTED_LOCATION "${OpenCVComponents_${_c}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES
          "${OpenCVComponents_INCLUDE_DIR};${OpenCVComponents_ARCH_INCLUDE_DIR}")
    endif()
  else()
    list(APPEND _ocv_missing ${_c})
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVComponents
  REQUIRED_VARS OpenCVComponents_INCLUDE_DIR OpenCVComponents_ARCH_INCLUDE_DIR
  HANDLE_COMPONENTS
  REASON_FAILURE_MESSAGE "install libopencv-<component>-dev for: ${_ocv_missing} (tools/install-deps does)")
