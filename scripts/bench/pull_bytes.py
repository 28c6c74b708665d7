import json, urllib.request, gzip, random, re, sys, time
# Usage: start `dauys-server --demo --listen 127.0.0.1:PORT > out.log`, then
#   python3 scripts/bench/pull_bytes.py http://127.0.0.1:PORT out.log
# Seeds 1,000 public proposals in the demo city and measures the initial and the empty pull.
B=sys.argv[1]
LOG=sys.argv[2]
def req(method, path, body=None, token=None, raw=False):
    h={"content-type":"application/json","accept-encoding":"gzip"}
    if token: h["authorization"]="Bearer "+token
    r=urllib.request.Request(B+path, data=json.dumps(body).encode() if body is not None else None, headers=h, method=method)
    with urllib.request.urlopen(r) as resp:
        data=resp.read()
        if raw: return data, resp.headers
        if resp.headers.get("content-encoding")=="gzip": data=gzip.decompress(data)
        return json.loads(data) if data else None
out=open(LOG).read()
iin=[l.split()[0] for l in out.splitlines() if l.endswith("official, Pavlodar")][0]
req("POST","/v1/auth/otp",{"iin":iin}); time.sleep(0.3)
code=re.findall(r"^OTP \S+ (\d+)", open(LOG).read(), re.M)[-1]
tok=req("POST","/v1/auth/verify",{"iin":iin,"code":code,"device_key":"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"})["token"]
cyc=[c for c in req("GET","/v1/cycles?locality=551010000") if c["phase"]=="collecting"][0]["id"]
words="аула орындық балалар ойын алаңы жарық жол көше саябақ мектеп sports park street light tree ремонт двор площадка освещение дорога тротуар остановка школа детский сад library bench".split()
random.seed(1)
t=time.time()
for i in range(1000):
    title=" ".join(random.choice(words) for _ in range(6)).capitalize()
    desc=" ".join(random.choice(words) for _ in range(45))+"."
    r=req("POST","/v1/actions/proposal.submit",{"cycle_id":cyc,"title":title,"description":desc,"category":random.choice(["sport","ecology","transport","children"]),"cost":random.randint(1,90)*100000,"location":{"lat":52.2+random.random()/10,"lon":76.9+random.random()/10}},tok)
    req("POST","/v1/actions/proposal.moderate",{"proposal_id":r["entity_id"],"decision":"accept"},tok)
print("seeded 1000 proposals in %.1fs"%(time.time()-t))
since="0"; wire=0; rawb=0; trips=0; n=0
while True:
    data,h=req("GET","/v1/changes?follow=551010000&limit=1000&since="+since,raw=True); trips+=1
    wire+=len(data)+len(str(h)); body=gzip.decompress(data) if h.get("content-encoding")=="gzip" else data; rawb+=len(body)
    j=json.loads(body); n+=len(j["changes"]); since=j["cursor"]
    if not j["more"]: break
print(f"initial pull of the city: {n} changes, {trips} round trips, {wire} bytes on the wire incl. headers ({rawb} bytes uncompressed)")
data,h=req("GET","/v1/changes?follow=551010000&since="+since,raw=True)
print(f"empty pull: 1 round trip, {len(data)} body bytes + {len(str(h))} header bytes")
