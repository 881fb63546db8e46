-- expect: EOVERFLOW kernel stack limit reached
-- print calls the global tostring for each argument; with tostring = print
-- it recurses C to C through the VM, no Lua function in between: only the
-- check at every C-to-Lua call ends it (lj_vm.h, patch 0003). A build of
-- LuaJIT's C as one unit once lost that check, and ksc-fuzz overflowed
-- the kernel stack this way.
tostring = print
print(1)
