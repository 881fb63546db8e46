-- expect: ETIME time limit exceeded
-- Strings of equal length that differ only where the sparse hash does not
-- look share a hash chain: compared in full until LuaJIT rehashes the chain
-- with the dense hash over every string in it.
local pre, suf = ("a"):rep(2^16), ("b"):rep(2^15)
local keep = {}
local i = 0
while true do
	i = i + 1
	keep[i % 32] = pre .. ("%08d"):format(i) .. suf
end
