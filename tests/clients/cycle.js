// The official InfluxDB JavaScript clients through a whole scripts cycle against fluxparams serve.
// Run by tests/test_service_clients.py:  node cycle.js URL TOKEN   -> one JSON report on stdout.
'use strict'
const {InfluxDB, HttpError} = require('@influxdata/influxdb-client')
const {ScriptsAPI, FluxScriptInvocationAPI, PingAPI, HealthAPI} =
  require('@influxdata/influxdb-client-apis')

async function main(url, token) {
  const influxDB = new InfluxDB({url, token})
  const scripts = new ScriptsAPI(influxDB)
  const report = {}

  report.ping = await new PingAPI(influxDB).getPing().then(() => 'ok')
  report.health = await new HealthAPI(influxDB).getHealth()

  const created = []
  for (const name of ['first', 'second', 'third']) {
    created.push(await scripts.postScripts({body: {
      name, description: `the ${name} script`, language: 'flux',
      script: 'from(bucket: params.bucket)\n  |> range(start: -1h)\n  |> limit(n: params.n)',
    }}))
  }
  report.created = created
  report.page = await scripts.getScripts({limit: 2, offset: 1})
  const id = created[0].id
  report.updated = await scripts.patchScriptsID({scriptID: id,
    body: {description: 'changed', script: 'from(bucket: params.bucket) |> range(start: -1h)'}})
  report.got = await scripts.getScriptsID({scriptID: id})
  // ScriptsAPI has no call for /params: ask the client's transport for it.
  report.params = await influxDB.transport.request(`/api/v2/scripts/${id}/params`, null,
    {method: 'GET'})
  report.csv = await scripts.postScriptsIDInvoke({scriptID: id,
    body: {params: {bucket: 'air "sensor"', extra: [1, 2]}}})  // extra: unused, still bound
  report.rows = await new FluxScriptInvocationAPI(influxDB).invoke(id, {bucket: 'b'}).collectRows()
  try {
    await scripts.postScriptsIDInvoke({scriptID: id, body: {params: {}}})
    report.badParams = 'no error'
  } catch (e) {
    report.badParams = e instanceof HttpError ? {status: e.statusCode, code: e.code,
      message: e.message} : String(e)
  }
  for (const s of created) await scripts.deleteScriptsID({scriptID: s.id})
  report.afterDelete = await scripts.getScripts({})
  return report
}

main(process.argv[2], process.argv[3]).then(
  (report) => process.stdout.write(JSON.stringify(report)),
  (e) => { console.error(e && e.stack || String(e)); process.exit(1) })
