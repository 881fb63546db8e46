-- expect: ok
-- A generic for whose iterator expression is a temporary or emits no
-- instruction (patch 0042): the parser's guess at pairs()/next() read past
-- its variables and its code. Each must load and fail as a call of nil.
local failing = {
	"local _\nfor _ in (nil):foo() do end\n",
	"a, b, c = 1, 2, 3\nlocal d\nfor _ in nil do end\n",
	"local x\nfor k in x do end\n",
}
for _, src in ipairs(failing) do
	for _ = 1, 200 do
		local f = assert(load(src))
		local ok, err = pcall(f)
		assert(not ok and err:find("nil value", 1, true), tostring(err))
	end
end
-- An iterator in a local: the guess reads that variable's name.
local f = assert(load("local p = pairs\nlocal n = 0\nfor k, v in p({ 1, 2 }) do n = n + v end\nreturn n\n"))
assert(f() == 3)
-- and a working pairs() loop still takes the fast path and works
local n = 0
for _ in pairs({ 1, 2, 3, x = 4 }) do n = n + 1 end
assert(n == 4)
