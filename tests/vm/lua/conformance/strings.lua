-- Strings and patterns.
local s = "Hello, World! 123 abc"
print(#s, s:sub(1, 5), s:sub(-3), s:sub(0), s:sub(8, -5), s:sub(100), s:sub(-100, 2))
print(s:upper(), s:lower(), s:rep(2, "|"), ("ab"):rep(0), ("ab"):reverse())
print(s:byte(1), s:byte(-1), s:byte(1, 3), string.char(72, 105, 0, 255):byte(1, -1))
print(s:find("World"), s:find("o", 6), s:find("%d+"), s:find(".", 1, true), s:find("xyz"), s:find(""), s:find("", 100))
print(s:match("(%a+), (%a+)"), s:match("%d+"), s:match("()ll()"), s:match("^Hello"), s:match("^World"))
for w in s:gmatch("%a+") do io_write = (io_write or "") .. w .. ";" end
print(io_write)
for k, v in ("a=1, b=22, ccc=333"):gmatch("(%w+)=(%w+)") do print(k, v) end
print(s:gsub("o", "0"), s:gsub("%a+", string.upper, 2), s:gsub("(%a)(%a*)", "%2%1"))
print(("abc"):gsub("", "-"), ("hello world"):gsub("%w+", { hello = "HI", world = false }))
print(("f(a(b)c)d"):match("%b()"), ("THE (quick) fox"):find("%f[%a]%a+"), ("x = [[y]]"):match("%[(%b[])%]"))
print(("  trim  "):match("^%s*(.-)%s*$") .. "|", ("a,b,,c"):gsub(",", ";"), ("%d"):gsub("%%", "%%%%"))
print(pcall(string.rep), pcall(("x").gsub, "x", "(", ""), pcall(string.find, "a", "[a"))
print(("abc"):len(), #"", ("\0a\0"):len(), "a\0b" < "a\0c", "Z" < "a", "" < "a", "abc" == "abc")
print(tostring(nil), tostring(true), tostring(12), tostring("x"), tostring(-0.0))
print(("x"):format(), ("%5s"):format("ab"), string.format("%-5s|", "ab"))
local t = {}
for i = 0, 255 do t[#t + 1] = string.char(i) end
local all = table.concat(t)
print(#all, all:gsub("%c", ""):len(), (all:gsub("%p", "")):len(), (all:gsub("%s", "")):len(), (all:gsub("%w", "")):len())
print(string.format("%q", all:sub(1, 40)))
