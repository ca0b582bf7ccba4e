# Generates core/src/test/resources/bad/: the bad-input corpus of BadInputCorpusTest (run from the repository root: python3 core/src/test/resources/bad-corpus.py). Fragments left empty here were filled in from the tool's message, then reviewed.
import os, itertools
OUT='core/src/test/resources/bad'
for f in os.listdir(OUT): os.remove(os.path.join(OUT,f))
cases=[]
HEAD='id: RB-BAD\ntitle: Bad input\nseverity: P2\n'
MARK='  - id: marker\n    shell: touch "$MARKER"\n'
def add(name, expect, body, raw=None):
    cases.append((name, expect, body, raw))
def rb(steps, extra=''):
    return HEAD+extra+'steps:\n'+MARK+steps

# 1. YAML strictness
for i,(pos,body) in enumerate([
  ('shell alias', HEAD+'x-cmd: &cmd "touch /tmp/pwned"\nsteps:\n'+MARK+'  - id: a\n    shell: *cmd\n'),
  ('title alias', 'id: RB-BAD\ntitle: &t Bad\nseverity: P2\nsummary: *t\nsteps:\n'+MARK),
  ('step alias', HEAD+'steps:\n  - &s\n    id: marker\n    shell: touch "$MARKER"\n  - *s\n'),
  ('when alias', rb('  - id: a\n    shell: echo a\n    when: &w "true"\n  - id: b\n    shell: echo b\n    when: *w\n')),
]):
    add(f'yaml-alias-{i}', 'invalid YAML', body)
for i,body in enumerate([
  'id: &id RB-BAD\ntitle: Bad\nseverity: P2\nsteps:\n'+MARK,
  rb('  - &anchor\n    id: a\n    shell: echo a\n'),
  rb('  - id: a\n    shell: &c echo a\n'),
]):
    add(f'yaml-anchor-{i}','an anchor',body)
for i,body in enumerate([
  rb('  - <<: {id: a, shell: echo a}\n'),
  HEAD+'<<: {summary: merged}\nsteps:\n'+MARK,
  rb('  - id: a\n    shell: {<<: {command: echo a}}\n'),
]):
    add(f'yaml-merge-{i}','merge key',body)
for i,tag in enumerate(['!!str','!!binary','!custom','!<tag:yaml.org,2002:str>','!!python/object:os.system','!!int']):
    add(f'yaml-tag-{i}','a tag',rb(f'  - id: a\n    shell: {tag} "echo a"\n'))
for i,sep in enumerate(['---\n','--- \n','...\n---\n']):
    add(f'yaml-second-doc-{i}','second YAML document',rb('  - id: a\n    shell: echo a\n')+sep+rb('  - id: b\n    shell: echo b\n'))
for i,g in enumerate(['garbage: [\n','- item\n','"x"\n','{a: 1}\n','id: other\n']):
    add(f'yaml-after-end-{i}','invalid YAML',rb('  - id: a\n    shell: echo a\n')+'...\n'+g)
for i,body in enumerate([
  rb('  - id: a\n    shell: *nowhere\n'),
  HEAD+'summary: *missing\nsteps:\n'+MARK,
]):
    add(f'yaml-undefined-alias-{i}','alias',body)
for i,body in enumerate([
  HEAD+'steps:\n\t- id: a\n\t  shell: echo a\n',
  rb('  - id: a\n\tshell: echo a\n'),
  HEAD+'\tsummary: x\nsteps:\n'+MARK,
]):
    add(f'yaml-tab-{i}','invalid YAML',body)
for i,body in enumerate([
  rb('  - id: a\n    shell: "echo a\n'),
  rb("  - id: a\n    shell: 'echo a\n"),
  HEAD+'summary: "never closed\nsteps:\n'+MARK,
]):
    add(f'yaml-unclosed-quote-{i}','invalid YAML',body)
for i,body in enumerate([
  rb('  - id: a\n    shell: {command: echo a\n'),
  rb('  - id: a\n    ssh: {hosts: [web1, command: uptime}\n'),
  HEAD+'tags: [a, b\nsteps:\n'+MARK,
]):
    add(f'yaml-unclosed-bracket-{i}','invalid YAML',body)
for i,body in enumerate([
  rb('  - id: a\n    shell: echo a\n    shell: echo b\n'),
  HEAD+'title: Again\nsteps:\n'+MARK,
  rb('  - id: a\n    shell: {command: echo a, command: echo b}\n'),
]):
    add(f'yaml-duplicate-key-{i}','duplicate key',body)
# 2. UTF-8
for i,bad in enumerate([b'\xff',b'\xfe',b'\xc3\x28',b'\x80',b'\xc0\xaf',b'\xed\xa0\x80',b'\xf8\x88\x80\x80\x80',b'\xe2\x82',b'\xf0\x9f\x98']):
    for j,where in enumerate(['title','shell']):
        if where=='title':
            raw=b'id: RB-BAD\ntitle: Bad '+bad+b'\nseverity: P2\nsteps:\n'+MARK.encode()
        else:
            raw=(HEAD+'steps:\n'+MARK).encode()+b'  - id: a\n    shell: echo '+bad+b'\n'
        add(f'utf8-{i}-{where}','not UTF-8',None,raw)
# 3. structure
add('missing-id','missing required key','title: T\nseverity: P2\nsteps:\n'+MARK)
add('missing-title','missing required key','id: RB-BAD\nseverity: P2\nsteps:\n'+MARK)
add('missing-severity','missing required key','id: RB-BAD\ntitle: T\nsteps:\n'+MARK)
add('missing-steps','missing required key',HEAD)
for i,sev in enumerate(['P0','P5','high','p1','1','critical','SEV1','P12']):
    add(f'bad-severity-{i}','severity',f'id: RB-BAD\ntitle: T\nseverity: {sev!r}\nsteps:\n'+MARK)
for i,bid in enumerate(['RB BAD','RB/BAD','RB;rm','RB$BAD','"RB\'BAD"','RB@BAD']):
    add(f'bad-id-{i}','id',f'id: {bid}\ntitle: T\nseverity: P2\nsteps:\n'+MARK)
for i,sid in enumerate(['a b','a.b','a;b','a$b','a/b','é']):
    add(f'bad-step-id-{i}','step id',rb(f'  - id: "{sid}"\n    shell: echo a\n'))
add('empty-steps','steps',HEAD+'steps: []\n')
add('steps-not-list','steps',HEAD+'steps: {a: 1}\n')
add('no-action','has no action',rb('  - id: a\n    title: nothing\n'))
for i,(a,b) in enumerate([('shell: echo a','http: http://x'),('sql: SELECT 1','shell: echo'),('manual: do it','wait: 1s'),('notify: hi','shell: echo')]):
    add(f'two-actions-{i}','several actions',rb(f'  - id: a\n    {a}\n    {b}\n'))
for i,k in enumerate(['retries: 3','timout: 1s','on-failure: abort','onFailure: abort','dangerous_: true','descripton: x','expects: {exit: 0}','check_: x']):
    add(f'unknown-step-key-{i}','unknown key',rb(f'  - id: a\n    shell: echo a\n    {k}\n'))
for i,k in enumerate(['author: me','version: 2','step: []','secret: [X]','input: {}','variables: {}']):
    add(f'unknown-top-key-{i}','unknown key',HEAD+k+'\nsteps:\n'+MARK)
for i,(act,k) in enumerate([('shell','{command: echo, cwd: /tmp}'),('ssh','{hosts: [a], command: x, host: a}'),('sql','{query: SELECT 1, db: main}'),('http','{url: http://x, verb: GET}'),('manual','{text: x, items: []}'),('wait','{duration: 1s, msg: x}'),('notify','{message: x, url: y}'),('input','{name: x, regex: y}'),('choose','{question: q, options: [a], defaults: a}')]):
    add(f'unknown-action-key-{i}','unknown key',rb(f'  - id: a\n    {act}: {k}\n'))
add('duplicate-step-id','duplicate step id',rb('  - id: marker\n    shell: echo again\n'))
add('duplicate-step-id-rollback','duplicate step id',rb('  - id: a\n    shell: echo a\n')+'rollback:\n  - id: a\n    shell: echo b\n')
# 4. flow
for i,t in enumerate(['nowhere','Marker','next','end ','rollback2']):
    add(f'on-failure-target-{i}','on_failure',rb(f'  - id: a\n    shell: echo a\n    on_failure: {t!r}\n'))
for i,t in enumerate(['nowhere','abort','continue','rollback','MARKER']):
    add(f'on-success-target-{i}','on_success',rb(f'  - id: a\n    shell: echo a\n    on_success: {t!r}\n'))
add('choose-goto-unknown','goto',rb('  - id: a\n    choose: {question: q, options: [{label: x, goto: nowhere}], default: x}\n'))
add('rollback-without-section','rollback',rb('  - id: a\n    shell: echo a\n    on_failure: rollback\n'))
add('goto-into-rollback','on_failure',rb('  - id: a\n    shell: echo a\n    on_failure: undo\n')+'rollback:\n  - id: undo\n    shell: echo undo\n')
# 5. templates
for i,t in enumerate(['${inputs.v','${}','${ }','${inputs.}','${steps..x}','${1+}']):
    add(f'template-syntax-{i}','',rb(f'  - id: a\n    shell: echo {t}\n'))
for i,t in enumerate(['${inputs.nope}','${vars.nope}','${secrets.NOPE}','${steps.nope.stdout}','${env2.x}','${incident.nope}','${nope}']):
    add(f'template-unknown-{i}','',rb(f'  - id: a\n    shell: echo {t}\n'))
SHELL_REFUSED=[
 ("echo '${inputs.v}'","single quotes"),
 ("echo 'a ${inputs.v} b'","single quotes"),
 ("echo $'${inputs.v}'","$'...'"),
 ("echo `echo ${inputs.v}`","backticks"),
 ("x=`printf %s ${inputs.v}`","backticks"),
 ("cat <<'EOF'\n${inputs.v}\nEOF","quoted here-document"),
 ("cat <<\"EOF\"\n${inputs.v}\nEOF","quoted here-document"),
 ("cat <<\\EOF\n${inputs.v}\nEOF","quoted here-document"),
 ('sh -c "echo ${inputs.v}"',"-c runs"),
 ('bash -c "echo ${inputs.v}"',"-c runs"),
 ('dash -c ${inputs.v}',"-c runs"),
 ('sudo sh -c "echo ${inputs.v}"',"-c runs"),
 ('sudo -u postgres bash -lc "psql ${inputs.v}"',"-c runs"),
 ('timeout 5 sh -c "echo ${inputs.v}"',"-c runs"),
 ('env A=1 sh -c "echo ${inputs.v}"',"-c runs"),
 ('xargs -I{} sh -c "echo ${inputs.v}"',"-c runs"),
 ('su -c "echo ${inputs.v}" root',"-c runs"),
 ('eval echo ${inputs.v}',"eval"),
 ('eval "echo ${inputs.v}"',"eval"),
 ('watch -n1 echo ${inputs.v}',"watch"),
 ('ssh web1 "rm ${inputs.v}"',"ssh"),
 ('ssh -i key web1 ls ${inputs.v}',"ssh"),
 ('echo ${inputs.v} | sh',"piped into sh"),
 ('printf %s "${inputs.v}" | bash',"piped into bash"),
 ('echo ${inputs.v} | tee /dev/null | sh',"piped into sh"),
 ('sh <<EOF\necho ${inputs.v}\nEOF',"here-document read by sh"),
 ('bash <<EOF\n${inputs.v}\nEOF',"here-document read by bash"),
 ('echo $(( ${inputs.v} + 1 ))',"arithmetic"),
 ('(( ${inputs.v} > 1 ))',"arithmetic"),
 ('[[ ${inputs.v} -eq 1 ]]',"arithmetic"),
 ('let x=${inputs.v}',"arithmetic"),
 ('source ${inputs.v}',"source"),
 ('. ${inputs.v}',"."),
]
import json
for i,(cmd,frag) in enumerate(SHELL_REFUSED):
    for j,kind in enumerate(['shell','ssh']):
        if kind=='shell':
            body=HEAD+'inputs:\n  v: {default: x}\nsteps:\n'+MARK+'  - id: a\n    shell: '+json.dumps(cmd)+'\n'
        else:
            body=HEAD+'inputs:\n  v: {default: x}\nsteps:\n'+MARK+'  - id: a\n    ssh: {hosts: [web1], command: '+json.dumps(cmd)+'}\n'
        add(f'shell-refused-{i:02d}-{kind}',frag,body)
# 6. expressions
for i,(k,e) in enumerate([('when',"steps.marker.stdout =~ '(restarted'"),('when',"steps.marker.stdout =~ '[a-'"),('check',"steps.a.stdout =~ '*x'"),('check',"steps.a.stdout !~ 'a{2,1}'"),('when',"steps.marker.stdout =~ \"(?<name\"")]):
    add(f'regex-literal-{i}','does not compile',rb(f'  - id: a\n    shell: echo a\n    {k}: {json.dumps(e)}\n'))
add('regex-literal-until','does not compile',rb('  - id: a\n    shell: echo a\n    retry: {attempts: 2, delay: 1s, until: "steps.a.stdout =~ \'(\'"}\n'))
for i,e in enumerate(['steps.marker.exit ==','(a','a +* b','new("java.io.File", "x")','steps.marker.exit = 1 ;;;',"'unclosed"]):
    add(f'expression-syntax-{i}','',rb(f'  - id: a\n    shell: echo a\n    when: {json.dumps(e)}\n'))
# 7. durations
for i,(k,d) in enumerate([('timeout','0s'),('timeout','0ms'),('timeout','99999999999999999999h'),('timeout','200h'),('timeout','5 minutes'),('timeout','-5s'),('timeout','1d'),('timeout','10'),('timeout','1.5s'),('timeout','9223372036854775807h')]):
    add(f'duration-{i}','',rb(f'  - id: a\n    shell: echo a\n    {k}: {json.dumps(d)}\n'))
for i,d in enumerate(['0s','8d','169h','forever','99999999999999999999s']):
    add(f'duration-wait-{i}','',rb(f'  - id: a\n    wait: {json.dumps(d)}\n'))
for i,d in enumerate(['0s','200h','soon']):
    add(f'duration-retry-{i}','',rb(f'  - id: a\n    shell: echo a\n    retry: {{attempts: 2, delay: {json.dumps(d)}}}\n'))
for i,d in enumerate(['0m','9999h','1 hour']):
    add(f'duration-sla-{i}','',HEAD+f'sla: {{respond: {json.dumps(d)}, resolve: 30m}}\nsteps:\n'+MARK)
# 8. regexes
for i,p in enumerate(['(','[a-','*','a{2,1}','(?<x']):
    add(f'input-pattern-{i}','',HEAD+f'inputs:\n  v: {{default: x, pattern: {json.dumps(p)}}}\nsteps:\n'+MARK)
    add(f'stdout-matches-{i}','',rb(f'  - id: a\n    shell: echo a\n    expect: {{stdout_matches: {json.dumps(p)}}}\n'))
add('input-default-mismatch','does not match',HEAD+"inputs:\n  v: {default: 'bad value', pattern: '^[a-z]+$'}\nsteps:\n"+MARK)
# 9. references
add('forward-ref-shell','cannot have run before it',rb('  - id: a\n    shell: echo ${steps.b.stdout}\n  - id: b\n    shell: echo b\n'))
add('forward-ref-when','cannot have run before it',rb('  - id: a\n    shell: echo a\n    when: steps.b.exit == 0\n  - id: b\n    shell: echo b\n'))
add('forward-ref-rm','cannot have run before it',rb('  - id: a\n    shell: rm -rf /data/${steps.later.stdout}\n  - id: later\n    shell: echo x\n'))
add('forward-ref-http','cannot have run before it',rb('  - id: a\n    http: http://127.0.0.1:9/${steps.b.stdout}\n  - id: b\n    shell: echo b\n'))
add('forward-ref-sql','cannot have run before it',rb('  - id: a\n    sql: SELECT ${steps.b.stdout}\n  - id: b\n    shell: echo b\n'))
add('forward-ref-rollback','cannot have run before it',rb('  - id: a\n    shell: echo a\n')+'rollback:\n  - id: u1\n    shell: echo ${steps.u2.stdout}\n  - id: u2\n    shell: echo u2\n')
add('self-ref-shell','its own result',rb('  - id: a\n    shell: echo ${steps.a.stdout}\n'))
add('self-ref-when','its own result',rb('  - id: a\n    shell: echo a\n    when: steps.a.exit == 0\n'))
add('forward-ref-notify','cannot have run before it',rb('  - id: a\n    notify: "done ${steps.b.stdout}"\n  - id: b\n    shell: echo b\n'))
add('forward-ref-title','cannot have run before it',rb('  - id: a\n    title: "after ${steps.b.exit}"\n    shell: echo a\n  - id: b\n    shell: echo b\n'))
add('vars-cycle-2','cycle',HEAD+"vars:\n  a: '${vars.b}'\n  b: '${vars.a}'\nsteps:\n"+MARK)
add('vars-cycle-3','cycle',HEAD+"vars:\n  a: '${vars.b}'\n  b: '${vars.c}'\n  c: '${vars.a}'\nsteps:\n"+MARK)
add('vars-cycle-self','cycle',HEAD+"vars:\n  a: 'x${vars.a}'\nsteps:\n"+MARK)
add('vars-step-ref','',HEAD+"vars:\n  a: '${steps.marker.stdout}'\nsteps:\n"+MARK)
# 10. http
for i,u in enumerate(['FETCH http://x','GET','http:/x y z','GET  ']):
    add(f'http-bad-{i}','',rb(f'  - id: a\n    http: {json.dumps(u)}\n'))
for i,m in enumerate(['FETCH','get ','TRACE','CONNECT']):
    add(f'http-method-{i}','',rb(f'  - id: a\n    http: {{method: {m!r}, url: "http://127.0.0.1:9/"}}\n'))
for i,u in enumerate(['ftp://x/','file:///etc/passwd','gopher://x','javascript:alert(1)','ldap://x']):
    add(f'http-scheme-{i}','',rb(f'  - id: a\n    http: {json.dumps(u)}\n'))
# 11. numbers
for i,a in enumerate(['0','-1','x','1.5']):
    add(f'retry-attempts-{i}','',rb(f'  - id: a\n    shell: echo a\n    retry: {{attempts: {a}, delay: 1s}}\n'))
for i,a in enumerate(['0','-2']):
    add(f'ssh-parallel-{i}','',rb(f'  - id: a\n    ssh: {{hosts: [web1], command: uptime, parallel: {a}}}\n'))
add('ssh-no-hosts','hosts',rb('  - id: a\n    ssh: {hosts: [], command: uptime}\n'))
add('ssh-missing-hosts','hosts',rb('  - id: a\n    ssh: {command: uptime}\n'))
add('ssh-missing-command','command',rb('  - id: a\n    ssh: {hosts: [web1]}\n'))
for i,v in enumerate(['yes','1','on','True ','maybe']):
    add(f'bool-{i}','true or false',rb(f'  - id: a\n    shell: echo a\n    dangerous: {v!r}\n'))
add('choose-no-options','options',rb('  - id: a\n    choose: {question: q}\n'))
add('choose-default-unknown','default',rb('  - id: a\n    choose: {question: q, options: [a, b], default: c}\n'))
add('input-no-name','name',rb('  - id: a\n    input: {description: x}\n'))
add('secrets-bad-name','',HEAD+'secrets: [PG-PASSWORD]\nsteps:\n'+MARK)
add('inputs-bad-name','',HEAD+'inputs:\n  bad-name: {default: x}\nsteps:\n'+MARK)
add('not-a-map','',"- just\n- a list\n")
add('scalar-doc','',"hello\n")
add('empty-doc','empty document',"")
add('only-comment','empty document',"# nothing here\n")
add('null-steps','steps',HEAD+'steps:\n')
add('step-not-map','',HEAD+'steps:\n  - just a string\n')
add('sql-no-query','query',rb('  - id: a\n    sql: {database: main}\n'))
add('shell-no-command','command',rb('  - id: a\n    shell: {workdir: /tmp}\n'))
add('shell-empty','',rb('  - id: a\n    shell: ""\n'))
add('option-refused-placeholder-ok','',rb('  - id: a\n    shell: echo a\n    allow_option_values: maybe\n'))

# write
count=0
for name,expect,body,raw in cases:
    header=('# expect: '+expect+'\n').encode()
    data = header + (raw if raw is not None else body.encode())
    with open(os.path.join(OUT,name+'.yaml'),'wb') as f: f.write(data)
    count+=1
print(count)
