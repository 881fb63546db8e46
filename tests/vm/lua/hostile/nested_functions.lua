-- expect: EOVERFLOW kernel stack limit reached
local src = string.rep("return function() ", 1e4) .. string.rep(" end", 1e4)
local f, err = load(src)
error(err, 0)
