-- expect: ENOMEM not enough memory
local s = string.rep("x", 2^30)
