x = "prefix ${aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa} middle ${bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb} suffix ${c}"
