-- expect: ETIME time limit exceeded
-- Plain string.find where one library call scans megabytes at once: the
-- first pattern byte is nowhere in 4 MiB (one memchr over all of it), and
-- a 1 MiB pattern that matches all but its last byte at every position
-- (a memcmp of 1 MiB per candidate).
local s = ("a"):rep(2^22)
local absent = "b"
local long = ("a"):rep(2^20) .. "b"
while true do
	assert(not s:find(absent, 1, true))
	assert(not s:find(long, 1, true))
end
