-- expect: ETIME time limit exceeded
-- lj_str_cmp over 2 MiB strings equal but for the last byte.
local a = ("a"):rep(2^21)
local b = a:sub(1, -2) .. "b"
local n = 0
while true do
	if a < b then n = n + 1 end
	if b <= a then n = n - 1 end
end
