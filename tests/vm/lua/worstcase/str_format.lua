-- expect: ETIME time limit exceeded
-- format: %q of 1 MiB of NULs (2 MiB out), %s and %-99s of 2 MiB, and a
-- format of a million elements (each "%%" is one).
local z = ("\0"):rep(2^20)
local s = ("a"):rep(2^21)
local many = ("%%"):rep(2^20)
while true do
	local m = many:format()
	m = nil
	local r = ("%q"):format(z)
	r = nil
	collectgarbage()
	r = ("%s"):format(s)
	r = nil
	collectgarbage()
	r = ("%-99s"):format(s)
	r = nil
	collectgarbage()
end
