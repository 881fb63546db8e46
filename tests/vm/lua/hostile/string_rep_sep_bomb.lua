-- expect: ENOMEM not enough memory
local s = string.rep("abc", 2^26, "defgh")
