-- expect: EINVAL wrong mode
local f = assert(load(string.dump(function() return 1 end), "dump", "b"))
