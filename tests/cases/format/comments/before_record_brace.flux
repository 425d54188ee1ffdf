x = // rec
{a: 1}
