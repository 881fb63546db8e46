-- expect: ENOMEM not enough memory
-- A compiled loop allocates until the state's memory runs out: the error
-- is raised in a C call from machine code.
local t, i = {}, 1
while true do t[i] = { i, i + 1 }; i = i + 1 end
