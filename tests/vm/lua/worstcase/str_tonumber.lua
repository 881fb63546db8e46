-- expect: ETIME time limit exceeded
-- Number parsing (lj_strscan, tonumber with a base) of 2 MiB strings.
local digits = ("1"):rep(2^21)
local zeros = ("0"):rep(2^21)
local spaces = (" "):rep(2^21)
local trail = "1" .. spaces
local n = 0
while true do
	n = n + (tonumber(digits) or 0)
	n = n + (tonumber(zeros) or 0)
	n = n + (tonumber(spaces) or 0)
	n = n + (tonumber(digits, 36) or 0)
	n = n + (tonumber(zeros, 16) or 0)
	n = n + (tonumber(spaces, 16) or 0)
	n = n + (tonumber(trail, 16) or 0)
	n = n + zeros
	n = #tostring(n)
end
