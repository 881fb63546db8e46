-- expect: EINVAL aaaaaaaa
-- Errors with a 2 MiB message: caught, then uncaught.
local s = ("a"):rep(2^21)
for _ = 1, 4 do pcall(error, s) end
for _ = 1, 4 do pcall(error, s, 1) end
error(s)
