-- expect: EOVERFLOW kernel stack limit reached
-- 100,000 nested parentheses: the parser stops long before the stack ends.
local src = "return " .. string.rep("(", 1e5) .. "1" .. string.rep(")", 1e5)
local f, err = load(src)
error(err, 0)
