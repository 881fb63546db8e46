-- expect: ETIME time limit exceeded
-- load() of a 2 MiB string literal and of 512 Ki tokens.
local lit = 'return "' .. ("a"):rep(2^21) .. '"'
local sum = "return " .. ("1+"):rep(2^18) .. "1"
while true do
	local f = assert(load(lit))
	f = nil
	collectgarbage()
	f = assert(load(sum))
	f = nil
	collectgarbage()
end
