# ksc_add_kmod(NAME SOURCE_DIR [DEPENDS ...] [KBUILD_ARGS ...])
#
# Builds an out-of-tree kernel module from SOURCE_DIR with kbuild against
# KSC_KDIR and leaves it at ${CMAKE_BINARY_DIR}/NAME.ko. kbuild writes its
# objects next to the sources, so the sources are mirrored as a tree of
# symlinks into the build directory and the source tree stays clean.
function(ksc_add_kmod name srcdir)
  cmake_parse_arguments(KMOD "" "" "DEPENDS;KBUILD_ARGS" ${ARGN})
  set(workdir ${CMAKE_CURRENT_BINARY_DIR}/kbuild-${name})
  set(ko ${CMAKE_BINARY_DIR}/${name}.ko)
  file(GLOB_RECURSE kmod_sources CONFIGURE_DEPENDS
       ${srcdir}/*.c ${srcdir}/*.h ${srcdir}/*.S ${srcdir}/Kbuild ${srcdir}/*.mk)
  add_custom_command(
    OUTPUT ${ko}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${workdir}
    COMMAND cp -rsf ${srcdir}/. ${workdir}/
    COMMAND make -s -C ${KSC_KDIR} M=${workdir}
            KSC_UAPI=${PROJECT_SOURCE_DIR}/common-uapi ${KMOD_KBUILD_ARGS} modules
    COMMAND ${CMAKE_COMMAND} -E copy ${workdir}/${name}.ko ${ko}
    DEPENDS ${kmod_sources} ${KMOD_DEPENDS}
    COMMENT "kbuild: ${name}.ko against ${KSC_KDIR}"
    VERBATIM)
  add_custom_target(${name}_kmod ALL DEPENDS ${ko})
endfunction()
