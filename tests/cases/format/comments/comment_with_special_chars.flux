// "quoted" ${not} /regex/ \ tab	here
x = 1
