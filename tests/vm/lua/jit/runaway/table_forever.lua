local t, x = { 1, 2, 3, 4 }, 0
while true do
  for i = 1, #t do x = x + t[i] end
end
