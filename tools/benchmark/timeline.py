#!/usr/bin/env python3
"""Per-batch timeline of one benchmark run (docs/benchmarks.md): the engine's history in the run's H2 file, the
manager's log (ReportCorrelator's DEBUG lines: run the benchmark with
--manager-args=--logging.level.org.stratos.update.update=DEBUG) and the fleet's log.

usage: timeline.py <the run's working directory, printed by the harness> [D in ms, default 1000]
(with --warmup=K, the last update only)
Needs the H2 jar of the local Maven repository (read-only access to the run's database, after the run)."""
import subprocess, sys, re, datetime, statistics, glob, os
W = sys.argv[1]
D = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
H2 = sorted(glob.glob(os.path.expanduser('~/.m2/repository/com/h2database/h2/*/h2-*.jar')))[-1]
def q(sql):
    out = subprocess.run(['java', '-cp', H2, 'org.h2.tools.Shell', '-url',
                          'jdbc:h2:file:' + W + '/data/stratos;ACCESS_MODE_DATA=r', '-user', 'sa', '-password', '',
                          '-sql', sql], capture_output=True, text=True).stdout.splitlines()
    rows = []
    for line in out[1:]:
        if line.startswith('(') or not line.strip(): continue
        rows.append([c.strip() for c in line.split('|')])
    return rows
def ts(s):
    s = s.strip()
    if '.' in s:
        a, b = s.split('.'); s = a + '.' + (b + '000')[:3]
    else: s += '.000'
    return datetime.datetime.strptime(s[-12:], '%H:%M:%S.%f').timestamp()*1000 if len(s) <= 12 else datetime.datetime.strptime(s, '%Y-%m-%d %H:%M:%S.%f').timestamp()*1000
acts = q("select a.START_TIME_, a.END_TIME_, a.ACT_ID_, p.PROC_DEF_KEY_, a.PROC_INST_ID_ from ACT_HI_ACTINST a join ACT_HI_PROCINST p on a.PROC_INST_ID_=p.ID_ where p.PROC_DEF_KEY_ in ('phasedClusterUpdate','batchUpdate') order by a.START_TIME_, a.SEQUENCE_COUNTER_")
jobs = q("select j.TIMESTAMP_, j.JOB_STATE_, j.ACT_ID_, j.JOB_DEF_CONFIGURATION_, j.PROCESS_INSTANCE_ID_ from ACT_HI_JOB_LOG j where PROCESS_DEF_KEY_ in ('phasedClusterUpdate','batchUpdate') order by TIMESTAMP_")
# a run with --warmup=K holds K updates before the measured one: only the last update's batches are read
last = q("select max(START_TIME_) from ACT_HI_PROCINST where PROC_DEF_KEY_ = 'softwareUpdate'")[0][0]
T0 = ts(last)
acts = [a for a in acts if ts(a[0]) >= T0]
jobs = [j for j in jobs if ts(j[0]) >= T0]
day = acts[0][0][:10]
# batches: each decideNextStep that leads to a callActivity
decides = [a for a in acts if a[2] == 'serviceTask_decideNextStep']
batches = []
bi = [a for a in acts if a[3] == 'batchUpdate']
binst = []
for a in bi:
    if a[4] not in binst: binst.append(a[4])
def first(inst, act, field=0):
    for a in acts:
        if a[4] == inst and a[2] == act: return ts(a[field])
    return None
def jobcreated(inst, act):
    for j in jobs:
        if j[4] == inst and j[2] == act and j[1] == '0': return ts(j[0])
    return None
# manager log
mlog = open(os.path.join(W, 'manager.log')).read().splitlines()
def mts(line): return datetime.datetime.strptime(line[:23], '%Y-%m-%dT%H:%M:%S.%f').timestamp()*1000
lastrep = {}; corr = {}
for line in mlog:
    m = re.search(r'batches with every report in: \[([0-9a-f-]+)\]', line)
    if m and mts(line) >= T0: lastrep[m.group(1)] = mts(line)
    m = re.search(r'agentsReported correlated to ([0-9a-f-]+) in', line)
    if m and mts(line) >= T0: corr[m.group(1)] = mts(line)
# fleet
applying, done = [], []
for f in sorted(glob.glob(os.path.join(W, 'fleet-*.log'))):
    for line in open(f):
        if ': applying version' in line: applying.append(ts(day + ' ' + line[:12]))
        elif ': now on version' in line: done.append(ts(day + ' ' + line[:12]))
applying = sorted(t for t in applying if t >= T0); done = sorted(t for t in done if t >= T0)
n = len(binst); size = len(applying)//n if n else 0
pinst = decides[0][4]
rows = []
for i, b in enumerate(binst):
    r = {}
    dec = [a for a in decides][i]
    r['decide'] = (ts(dec[1]) - ts(dec[0]))
    start_b = first(b, 'startEvent_batchToUpdate')
    mark_s, mark_e = first(b, 'serviceTask_markMembersUpdating'), first(b, 'serviceTask_markMembersUpdating', 1)
    send_s, send_e = first(b, 'serviceTask_sendUpdateCommands'), first(b, 'serviceTask_sendUpdateCommands', 1)
    wait_s, wait_e = first(b, 'receiveTask_waitForAgentReports'), first(b, 'receiveTask_waitForAgentReports', 1)
    rec_s, rec_e = first(b, 'serviceTask_recordOutcomes'), first(b, 'serviceTask_recordOutcomes', 1)
    end_b = first(b, 'endEvent_batchDone', 1)
    r['decide→mark (new batch flow, job hand-over)'] = mark_s - ts(dec[1])
    r['mark'] = mark_e - mark_s
    r['mark→send (same-instance job)'] = send_s - mark_e
    r['send'] = send_e - send_s
    ap = applying[i*size:(i+1)*size]; dn = done[i*size:(i+1)*size]
    r['send end→first agent applying'] = ap[0] - send_e
    r['first→last agent applying'] = ap[-1] - ap[0]
    r['last applying→last done, minus D'] = dn[-1] - ap[-1] - D
    r['last agent done→last report recorded'] = lastrep.get(b, float('nan')) - dn[-1]
    r['last report recorded→correlated (commit)'] = corr.get(b, float('nan')) - lastrep.get(b, float('nan'))
    r['correlated→record starts (job hand-over)'] = rec_s - corr.get(b, wait_e)
    r['record'] = rec_e - rec_s
    # assess of this batch in parent
    ass = [a for a in acts if a[2] == 'serviceTask_assessBatch'][i]
    r['batch end→assess (async-after job hand-over)'] = ts(ass[0]) - end_b
    if i + 1 < len(decides):
        nxt = decides[i+1]
        r['assess→next decide (same-instance job)'] = ts(nxt[0]) - ts(ass[0])
        r['PERIOD (decide start→next decide start)'] = ts(nxt[0]) - ts(dec[0])
        r['overhead (period − D)'] = ts(nxt[0]) - ts(dec[0]) - D
    rows.append(r)
keys = list(rows[0].keys()) + [k for k in rows[-2].keys() if k not in rows[0]]
keys = list(dict.fromkeys(keys))
print(f'{n} batches of {size}; run {W}')
print('| step | median ms | runs |')
print('|---|---|---|')
for k in keys:
    v = [r[k] for r in rows if k in r and r[k] == r[k]]
    if v: print(f'| {k} | {statistics.median(v):.0f} | {" ".join(str(int(x)) for x in v)} |')
