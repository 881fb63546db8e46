-- expect: ETIME time limit exceeded
-- string.dump of a function with table templates of 16 Ki array and
-- 16 Ki hash entries (48 Ki constants).
local src = { "local t = {" }
for i = 1, 2^14 do src[#src + 1] = i + 0.5 .. "," end
src[#src + 1] = "}\nlocal u = {"
for i = 1, 2^14 do src[#src + 1] = "x" .. i .. "=" .. i + 0.25 .. "," end
src[#src + 1] = "}\nreturn t, u"
local f = assert(load(table.concat(src)))
src = nil
while true do
	local d = string.dump(f)
	d = nil
	collectgarbage()
end
