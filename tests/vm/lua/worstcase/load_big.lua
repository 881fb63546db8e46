-- expect: ETIME time limit exceeded
-- load() of a 2 MiB string literal.
local lit = 'return "' .. ("a"):rep(2^21) .. '"'
while true do
	local f = assert(load(lit))
	f = nil
	collectgarbage()
end
