-- expect: ETIME time limit exceeded
-- The time limit runs out inside a chain of __call = pcall, which runs no
-- bytecode: the budget raises its error from the __call resolution, where
-- the interpreter had not synced the Lua stack top. The message overwrote
-- the frame links of the chain's outer pcalls (an oops on return); now the
-- innermost pcall catches it and the loop ends at its next bytecode.
local t = setmetatable({}, { __call = pcall })
local u = setmetatable({}, { __call = function(self) return t() end })
while true do
	t()
	u()
end
