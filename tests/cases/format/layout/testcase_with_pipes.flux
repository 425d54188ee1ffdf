testcase t {
    got = csv.from(csv: inData) |> testing.load() |> range(start: 2018-05-22T19:53:26Z) |> mean()
    testing.diff(got: got, want: want) |> yield()
}
