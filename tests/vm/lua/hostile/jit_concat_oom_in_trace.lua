-- expect: ENOMEM not enough memory
-- Strings built in a compiled loop and kept until the memory limit.
local base, keep = ("x"):rep(1024), {}
for i = 1, 1e9 do keep[i] = base .. i end
