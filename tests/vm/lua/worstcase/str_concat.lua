-- expect: ETIME time limit exceeded
-- .. of 1 MiB strings (lj_meta_cat, big copies), two and four at a time.
local a = ("a"):rep(2^20)
local b = ("b"):rep(2^20)
local c = ("c"):rep(2^19)
while true do
	local r = a .. b
	r = nil
	collectgarbage()
	r = c .. a .. c .. c
	r = nil
	collectgarbage()
end
