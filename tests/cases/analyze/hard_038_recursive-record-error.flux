r = {params.rec with extra: params.rec}

r
