f = () => {return 1}
/abc/
