-- expect: ETIME time limit exceeded
-- sub makes new 4 MiB strings (copy, hash, intern); byte and char at
-- the size the C stack allows.
local s = ("a"):rep(2^22)
local t = {}
for i = 1, 7000 do t[i] = 65 end
while true do
	local r = s:sub(2)
	r = nil
	collectgarbage()
	r = s:sub(1, -2)
	r = nil
	collectgarbage()
	r = string.char(unpack(t))
	r = { s:byte(-7000, -1) }
end
