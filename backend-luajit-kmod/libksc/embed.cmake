# cmake -DIN=FILE -DOUT=FILE.c -DNAME=sym -P embed.cmake: FILE's bytes as
# "const char NAME[]" (NUL-terminated) and "const size_t NAME_len".
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* Generated from ${IN} by backend-luajit-kmod/libksc/embed.cmake. */\n#include <stddef.h>\n"
  "#pragma GCC visibility push(hidden)\n"
  "extern const char ${NAME}[];\nextern const size_t ${NAME}_len;\n"
  "const char ${NAME}[] = {\n${bytes}0 };\nconst size_t ${NAME}_len = ${len};\n")
