f = (x) =>
// block
{
    return x
}
