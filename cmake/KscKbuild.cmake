# ksc_add_kmod(NAME SOURCE_DIR [FLAVOR F KDIR DIR] [DEPENDS ...] [KBUILD_ARGS ...])
#
# Builds an out-of-tree kernel module from SOURCE_DIR with kbuild against
# KSC_KDIR and leaves it at ${CMAKE_BINARY_DIR}/NAME.ko; with FLAVOR, against
# KDIR instead, at ${CMAKE_BINARY_DIR}/kmod-F/NAME.ko (target NAME_kmod_F).
# kbuild writes its objects next to the sources, so the sources are mirrored
# as a tree of symlinks into the build directory (kbuild-NAME[-F]) and the
# source tree stays clean.
function(ksc_add_kmod name srcdir)
  cmake_parse_arguments(KMOD "" "FLAVOR;KDIR" "DEPENDS;KBUILD_ARGS" ${ARGN})
  set(workdir ${CMAKE_CURRENT_BINARY_DIR}/kbuild-${name})
  set(ko ${CMAKE_BINARY_DIR}/${name}.ko)
  set(kdir ${KSC_KDIR})
  set(target ${name}_kmod)
  if(KMOD_FLAVOR)
    set(workdir ${workdir}-${KMOD_FLAVOR})
    set(ko ${CMAKE_BINARY_DIR}/kmod-${KMOD_FLAVOR}/${name}.ko)
    set(kdir ${KMOD_KDIR})
    set(target ${name}_kmod_${KMOD_FLAVOR})
  endif()
  file(GLOB_RECURSE kmod_sources CONFIGURE_DEPENDS
       ${srcdir}/*.c ${srcdir}/*.h ${srcdir}/*.S ${srcdir}/Kbuild ${srcdir}/*.mk)
  add_custom_command(
    OUTPUT ${ko}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${workdir}
    COMMAND cp -rsf ${srcdir}/. ${workdir}/
    COMMAND make -s -C ${kdir} M=${workdir}
            KSC_UAPI=${PROJECT_SOURCE_DIR}/common-uapi ${KMOD_KBUILD_ARGS} modules
    COMMAND ${CMAKE_COMMAND} -E copy ${workdir}/${name}.ko ${ko}
    DEPENDS ${kmod_sources} ${KMOD_DEPENDS}
    COMMENT "kbuild: ${name}.ko against ${kdir}"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${ko})
endfunction()
