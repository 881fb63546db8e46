-- expect: ETIME time limit exceeded
while true do end
