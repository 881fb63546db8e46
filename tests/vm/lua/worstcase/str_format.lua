-- expect: ETIME time limit exceeded
-- format: %q of 1 MiB of NULs (2 MiB out), %s and %-99s of 2 MiB.
local z = ("\0"):rep(2^20)
local s = ("a"):rep(2^21)
while true do
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
