-- expect: ETIME time limit exceeded
-- Tables grown key by key: every doubling rehashes all keys (up to 256 Ki
-- nodes), and an array part of 1 Mi slots is copied on growth.
while true do
	local t = {}
	for i = 1, 2^18 do t[i + 0.5] = true end
	t = nil
	collectgarbage()
	t = {}
	for i = 1, 2^20 do t[i] = i end
	t = nil
	collectgarbage()
end
