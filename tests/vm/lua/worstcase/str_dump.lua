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
-- string.dump reports any error as "unable to dump given function": under
-- pcall, the time limit ends the script at the next bytecode instead.
while true do
	local ok, d = pcall(string.dump, f)
	d = nil
	collectgarbage()
end
