package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"gopkg.in/yaml.v3"

	"examd/formats"
)

// These tests hold api/openapi.yaml to the code: every route is documented
// and every documented operation is routed; each operation's security is
// what the middleware enforces; and real requests, successful and failed,
// get the statuses, content types and bodies the document promises.
// Helpers carry an oa prefix so that they cannot collide with other test
// files of this package.

// oaDoc is the parsed document, as plain maps, slices, strings, float64s,
// bools and nils (the shapes encoding/json gives a response body).
// kin is the same document loaded by kin-openapi, which validates
// requests and responses against it (JSON Schema 2020-12, as OpenAPI 3.1
// uses); root serves the project's own checks of the document's shape.
type oaDoc struct {
	root map[string]any
	kin  *openapi3.T
}

// oaOp is one operation of the document.
type oaOp struct {
	method string // upper case
	path   string // as documented, with {param}
	op     map[string]any
	params []any // path-level, then operation-level
}

var oaMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

var oaParamRe = regexp.MustCompile(`\{([^{}/]+)\}`)

func oaLoad(t testing.TB) *oaDoc {
	t.Helper()
	var raw any
	if err := yaml.Unmarshal(openAPIDoc, &raw); err != nil {
		t.Fatalf("openapi.yaml does not parse: %v", err)
	}
	root, ok := oaNormalize(raw).(map[string]any)
	if !ok {
		t.Fatal("openapi.yaml is not a mapping")
	}
	loader := openapi3.NewLoader()
	kin, err := loader.LoadFromData(openAPIDoc)
	if err != nil {
		t.Fatalf("kin-openapi cannot load openapi.yaml: %v", err)
	}
	if err := kin.Validate(loader.Context); err != nil {
		t.Fatalf("kin-openapi finds openapi.yaml invalid: %v", err)
	}
	return &oaDoc{root: root, kin: kin}
}

// The document's ids are UUIDs; kin-openapi checks date-time itself and
// uuid once told what one looks like.
// The files the API sends (this document as YAML, Moodle XML) are
// documented as strings: their bodies are checked as text, not parsed.
func init() {
	openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
	asText := func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	}
	openapi3filter.RegisterBodyDecoder("application/yaml", asText)
	openapi3filter.RegisterBodyDecoder("application/xml", asText)
}

// route is o as kin-openapi's validators take it.
func (d *oaDoc) route(o oaOp) *routers.Route {
	item := d.kin.Paths.Value(o.path)
	return &routers.Route{Spec: d.kin, Path: o.path, PathItem: item, Method: o.method, Operation: item.GetOperation(o.method)}
}

// oaNormalize turns YAML's decoded values into JSON's: string map keys and
// float64 numbers.
func oaNormalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = oaNormalize(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = oaNormalize(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = oaNormalize(e)
		}
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	}
	return v
}

func oaMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// operations lists every operation, sorted by path then method.
func (d *oaDoc) operations() []oaOp {
	var out []oaOp
	for p, item := range oaMap(d.root["paths"]) {
		im := oaMap(item)
		shared, _ := im["parameters"].([]any)
		for _, m := range oaMethods {
			op := oaMap(im[m])
			if op == nil {
				continue
			}
			own, _ := op["parameters"].([]any)
			out = append(out, oaOp{method: strings.ToUpper(m), path: p, op: op, params: append(slices.Clone(shared), own...)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].path != out[j].path {
			return out[i].path < out[j].path
		}
		return out[i].method < out[j].method
	})
	return out
}

// echoPath writes a documented path the way Echo's router lists it.
func oaEchoPath(p string) string { return oaParamRe.ReplaceAllString(p, ":$1") }

// lookup resolves a local JSON pointer such as #/components/schemas/Exam.
func (d *oaDoc) lookup(ref string) (any, bool) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	var cur any = d.root
	for _, part := range strings.Split(ref[2:], "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// deref follows $ref until it reaches an object without one.
func (d *oaDoc) deref(v any) map[string]any {
	for range 20 {
		m := oaMap(v)
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		v, _ = d.lookup(ref)
	}
	return nil
}

func (o oaOp) key() string { return o.method + " " + o.path }

func (o oaOp) security() []string {
	var names []string
	reqs, _ := o.op["security"].([]any)
	for _, r := range reqs {
		for name := range oaMap(r) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func (o oaOp) roles() []string {
	var rs []string
	list, _ := o.op["x-roles"].([]any)
	for _, r := range list {
		s, _ := r.(string)
		rs = append(rs, s)
	}
	return rs
}

// response is the documented response for status, resolved.
func (d *oaDoc) response(o oaOp, status int) map[string]any {
	return d.deref(oaMap(o.op["responses"])[fmt.Sprint(status)])
}

func (d *oaDoc) requestSchema(o oaOp) any {
	rb := d.deref(o.op["requestBody"])
	return oaMap(oaMap(oaMap(rb["content"])["application/json"]))["schema"]
}

func (d *oaDoc) errorCodes() []string {
	var codes []string
	enum, _ := d.deref(map[string]any{"$ref": "#/components/schemas/ErrorCode"})["enum"].([]any)
	for _, c := range enum {
		s, _ := c.(string)
		codes = append(codes, s)
	}
	return codes
}

// TestOpenAPIDocumentIsWellFormed checks the document on its own: version,
// references, and that every operation states its security, roles,
// parameters and error bodies.
func TestOpenAPIDocumentIsWellFormed(t *testing.T) {
	t.Parallel()
	d := oaLoad(t)
	if v, _ := d.root["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi is %q, want 3.1.x", v)
	}
	// Every $ref resolves.
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if _, ok := d.lookup(ref); !ok {
					t.Errorf("%s: $ref %s does not resolve", at, ref)
				}
			}
			for k, e := range x {
				walk(e, at+"/"+k)
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s[%d]", at, i))
			}
		}
	}
	walk(d.root, "#")

	schemes := oaMap(oaMap(d.root["components"])["securitySchemes"])
	staffRoles := []string{"admin", "recruiter", "reviewer"}
	ids := map[string]string{}
	ops := d.operations()
	if len(ops) == 0 {
		t.Fatal("no operations")
	}
	for _, o := range ops {
		k := o.key()
		id, _ := o.op["operationId"].(string)
		if id == "" {
			t.Errorf("%s: no operationId", k)
		} else if prev, dup := ids[id]; dup {
			t.Errorf("%s: operationId %s is also %s's", k, id, prev)
		}
		ids[id] = k
		if _, ok := o.op["security"]; !ok {
			t.Errorf("%s: security is not stated (use [] for a public operation)", k)
		}
		sec := o.security()
		for _, s := range sec {
			if schemes[s] == nil {
				t.Errorf("%s: unknown security scheme %s", k, s)
			}
		}
		desc, _ := o.op["description"].(string)
		roles := o.roles()
		switch {
		case len(sec) == 0:
			if len(roles) > 0 {
				t.Errorf("%s: public, yet x-roles %v", k, roles)
			}
		case slices.Equal(sec, []string{"staffBearer"}):
			if len(roles) == 0 {
				t.Errorf("%s: staff operation without x-roles", k)
			}
			for _, r := range roles {
				if !slices.Contains(staffRoles, r) {
					t.Errorf("%s: x-roles names %q", k, r)
				}
			}
			if want := "Roles: " + strings.Join(roles, ", "); !strings.Contains(desc, want) {
				t.Errorf("%s: description does not say %q", k, want)
			}
		case slices.Equal(sec, []string{"candidateBearer"}):
			if !slices.Equal(roles, []string{"candidate"}) {
				t.Errorf("%s: candidate operation with x-roles %v", k, roles)
			}
			if !strings.Contains(desc, "Candidate token") {
				t.Errorf("%s: description does not say it takes a candidate token", k)
			}
		default:
			t.Errorf("%s: security %v is neither public, staff nor candidate", k, sec)
		}
		resps := oaMap(o.op["responses"])
		if len(resps) == 0 {
			t.Errorf("%s: no responses", k)
		}
		for status := range resps {
			if !regexp.MustCompile(`^[1-5][0-9][0-9]$`).MatchString(status) {
				t.Errorf("%s: response key %q is not a status", k, status)
				continue
			}
			if status[0] == '4' || status[0] == '5' {
				schema := oaMap(oaMap(oaMap(d.deref(resps[status])["content"])["application/json"]))["schema"]
				if ref, _ := oaMap(schema)["$ref"].(string); ref != "#/components/schemas/Error" {
					t.Errorf("%s: %s does not use the Error schema", k, status)
				}
			}
		}
		if len(sec) > 0 && resps["401"] == nil {
			t.Errorf("%s: needs a token but does not list 401", k)
		}
		if slices.Equal(sec, []string{"staffBearer"}) && resps["403"] == nil {
			t.Errorf("%s: has roles but does not list 403", k)
		}
		// Path parameters: declared exactly as the template names them.
		inPath := map[string]bool{}
		for _, m := range oaParamRe.FindAllStringSubmatch(o.path, -1) {
			inPath[m[1]] = true
		}
		declared := map[string]bool{}
		for _, p := range o.params {
			pm := d.deref(p)
			if pm["in"] != "path" {
				continue
			}
			name, _ := pm["name"].(string)
			declared[name] = true
			if !inPath[name] {
				t.Errorf("%s: declares path parameter %q that the path lacks", k, name)
			}
			if pm["required"] != true {
				t.Errorf("%s: path parameter %q is not required", k, name)
			}
		}
		for name := range inPath {
			if !declared[name] {
				t.Errorf("%s: path parameter %q is not declared", k, name)
			}
		}
	}
}

// TestOpenAPIDocumentsEveryRoute fails when a route is added without being
// documented, or documented without being routed.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	d := oaLoad(t)
	a := newApp(t)
	routed := map[string]bool{}
	for _, r := range a.e.Routes() {
		// Catch-alls: the API's 404 for unknown endpoints, Echo's group
		// placeholders, and the web app.
		if r.Method == echo.RouteNotFound || strings.HasSuffix(r.Path, "/*") {
			continue
		}
		routed[r.Method+" "+r.Path] = true
	}
	documented := map[string]bool{}
	for _, o := range d.operations() {
		documented[o.method+" "+oaEchoPath(o.path)] = true
	}
	for _, k := range slices.Sorted(maps.Keys(routed)) {
		if !documented[k] {
			t.Errorf("route %s is not in api/openapi.yaml", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(documented)) {
		if !routed[k] {
			t.Errorf("api/openapi.yaml documents %s, which the router does not have", k)
		}
	}
	if len(routed) < 30 {
		t.Errorf("only %d routes found; the filter is wrong", len(routed))
	}
}

// TestOpenAPIServed: the document is public and served as embedded.
func TestOpenAPIServed(t *testing.T) {
	a := parallelApp(t)
	r := a.must(200, "GET", "/api/v1/openapi.yaml", nil, "")
	if ct := r.Header.Get("Content-Type"); ct != "application/yaml" {
		t.Errorf("Content-Type %q, want application/yaml", ct)
	}
	if !bytes.Equal(r.Body, openAPIDoc) {
		t.Error("the served document differs from the embedded one")
	}
	var v map[string]any
	if err := yaml.Unmarshal(r.Body, &v); err != nil || v["openapi"] == nil {
		t.Errorf("served document does not parse: %v", err)
	}
}

// oaProbePath fills a documented path with well-formed ids that name
// nothing.
func oaProbePath(p string) string {
	return oaParamRe.ReplaceAllStringFunc(p, func(m string) string {
		if m == "{n}" {
			return "1"
		}
		return uuid.NewString()
	})
}

// TestOpenAPISecurityMatchesTheMiddleware sends every documented operation
// a request without a token, with a token of the other audience and with
// each role's token, and checks what the document says: public operations
// never ask for a token, the others refuse a missing or foreign one with
// 401, and staff roles outside x-roles get 403. Whatever comes back must be
// a documented status with a body that fits.
func TestOpenAPISecurityMatchesTheMiddleware(t *testing.T) {
	t.Parallel()
	d := oaLoad(t)
	a := newApp(t)
	admin := a.signup("OpenAPI Org", "admin@openapi.test")
	tokens := map[string]string{
		"admin":     admin.AccessToken,
		"recruiter": a.staff(admin.AccessToken, "recruiter", "rec@openapi.test").AccessToken,
		"reviewer":  a.staff(admin.AccessToken, "reviewer", "rev@openapi.test").AccessToken,
	}
	examID := a.publishedExam(admin.AccessToken, map[string]any{"title": "Probe", "time_limit_seconds": 600,
		"sections": []any{map[string]any{"title": "S", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "p", "answer": true, "points": 1}}}}})
	inv := a.must(201, "POST", "/api/v1/exams/"+examID+"/invitations",
		map[string]string{"candidate_name": "C", "candidate_email": "c@openapi.test"}, admin.AccessToken).JSON()
	tokens["candidate"] = a.must(200, "POST", "/api/v1/candidate/sessions",
		map[string]string{"token": inv["token"].(string)}, "").JSON()["access_token"].(string)

	for _, o := range d.operations() {
		path := oaProbePath(o.path)
		send := func(who string) *resp {
			t.Helper()
			r := a.do(o.method, path, nil, tokens[who])
			d.checkResponse(t, o, r, fmt.Sprintf("%s as %q", o.key(), who))
			return r
		}
		switch sec := o.security(); {
		case len(sec) == 0:
			if r := send(""); r.Code() == "unauthorized" {
				t.Errorf("%s is documented public, but wants a token: %s", o.key(), r.Body)
			}
		case slices.Equal(sec, []string{"staffBearer"}):
			for _, who := range []string{"", "candidate"} {
				if r := send(who); r.Status != 401 || r.Code() != "unauthorized" {
					t.Errorf("%s as %q: %d %s, want 401 unauthorized", o.key(), who, r.Status, r.Body)
				}
			}
			for _, who := range []string{"admin", "recruiter", "reviewer"} {
				r := send(who)
				switch allowed := slices.Contains(o.roles(), who); {
				case allowed && (r.Status == 401 || r.Status == 403):
					t.Errorf("%s: x-roles has %s, but it got %d %s", o.key(), who, r.Status, r.Body)
				case !allowed && (r.Status != 403 || r.Code() != "forbidden"):
					t.Errorf("%s: x-roles lacks %s, but it got %d %s, not 403 forbidden", o.key(), who, r.Status, r.Body)
				}
			}
		case slices.Equal(sec, []string{"candidateBearer"}):
			for _, who := range []string{"", "admin"} {
				if r := send(who); r.Status != 401 || r.Code() != "unauthorized" {
					t.Errorf("%s as %q: %d %s, want 401 unauthorized", o.key(), who, r.Status, r.Body)
				}
			}
			if r := send("candidate"); r.Status == 401 || r.Status == 403 {
				t.Errorf("%s refuses a candidate: %d %s", o.key(), r.Status, r.Body)
			}
		}
	}
}

// checkResponse checks, with kin-openapi's response validator, that r's
// status is documented for o, that its content type is a documented one
// and that its body fits the schema; and that a status documented without
// a body has none. Error bodies must carry a known code.
func (d *oaDoc) checkResponse(t testing.TB, o oaOp, r *resp, what string) {
	t.Helper()
	doc := d.response(o, r.Status)
	if doc == nil {
		t.Errorf("%s: status %d is not documented: %s", what, r.Status, truncate(r.Body))
		return
	}
	if len(oaMap(doc["content"])) == 0 && len(r.Body) > 0 {
		t.Errorf("%s: %d is documented without a body, but has %s", what, r.Status, truncate(r.Body))
		return
	}
	req := httptest.NewRequest(o.method, oaProbePath(o.path), nil)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: d.route(o)},
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s: %d response does not fit the document: %v\n  body: %s", what, r.Status, err, truncate(r.Body))
	}
	if r.Status >= 400 && !slices.Contains(d.errorCodes(), r.Code()) {
		t.Errorf("%s: error code %q is not in ErrorCode", what, r.Code())
	}
}

// checkRequestBody validates a body the server accepted against the
// operation's documented request schema, with kin-openapi.
func (d *oaDoc) checkRequestBody(o oaOp, body any) error {
	op := d.route(o).Operation
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return fmt.Errorf("no request body is documented")
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return fmt.Errorf("no application/json request body is documented")
	}
	return mt.Schema.Value.VisitJSON(body, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors())
}

// oaGeneric round-trips v through JSON, as the server would see it.
func oaGeneric(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var g any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// find returns the documented operation that serves method and path.
func (d *oaDoc) find(t testing.TB, method, path string) oaOp {
	t.Helper()
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	best, bestParams := -1, 0
	ops := d.operations()
	for i, o := range ops {
		if o.method != method {
			continue
		}
		tsegs := strings.Split(o.path, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		params, ok := 0, true
		for j := range tsegs {
			if strings.HasPrefix(tsegs[j], "{") && strings.HasSuffix(tsegs[j], "}") {
				params++
			} else if tsegs[j] != segs[j] {
				ok = false
			}
		}
		if ok && (best < 0 || params < bestParams) {
			best, bestParams = i, params
		}
	}
	if best < 0 {
		t.Fatalf("%s %s is not documented", method, path)
	}
	return ops[best]
}

// oaCall sends a request, expecting status want, and checks it against the
// document. For a successful call it also checks that the body sent fits the
// documented request schema and, where that schema admits no other members,
// that the server refuses an unknown one.
func (a *app) oaCall(d *oaDoc, want int, method, path string, body any, token string) *resp {
	a.t.Helper()
	o := d.find(a.t, method, path)
	what := method + " " + path
	if body != nil && want < 300 {
		schema := d.requestSchema(o)
		g := oaGeneric(a.t, body)
		if err := d.checkRequestBody(o, g); err != nil {
			a.t.Errorf("%s: a body the server accepts does not fit the documented schema: %v", what, err)
		}
		if obj, ok := g.(map[string]any); ok && d.deref(schema)["additionalProperties"] == false {
			extra := map[string]any{"oa_unknown_member": 1}
			for k, v := range obj {
				extra[k] = v
			}
			r := a.do(method, path, extra, token)
			if r.Status != 400 && r.Status != 422 {
				a.t.Errorf("%s: documented without other members, but an unknown one got %d %s", what, r.Status, truncate(r.Body))
			}
			d.checkResponse(a.t, o, r, what+" (unknown member)")
		}
	}
	r := a.do(method, path, body, token)
	if r.Status != want {
		a.t.Fatalf("%s: status %d, want %d: %s", what, r.Status, want, truncate(r.Body))
	}
	d.checkResponse(a.t, o, r, what)
	return r
}

// oaExam has every question type, tracks, and a key worth amending.
func oaExam() map[string]any {
	return map[string]any{
		"title": "OpenAPI 面试题", "description": "every type", "time_limit_seconds": 3600, "pass_score": 2.5,
		"tracks": []string{"manager", "supervisor"}, "shuffle_options": true, "show_score_to_candidate": true,
		"sections": []any{
			map[string]any{"title": "一、填空", "instructions": "每空1分", "questions": []any{
				map[string]any{"type": "fill_in", "prompt": "先向{{1}}致意。", "blanks": []any{
					map[string]any{"accepted": []string{"客人"}, "points": 1, "case_sensitive": false}}},
				map[string]any{"type": "true_false", "prompt": "关闭疏散楼梯照明。", "answer": false, "points": 1},
			}},
			map[string]any{"title": "二、选择", "questions": []any{
				map[string]any{"type": "single_choice", "prompt": "是否属于工伤?", "options": []any{
					map[string]any{"key": "a", "text": "是"}, map[string]any{"key": "b", "text": "不是"}}, "answer": "a", "points": 1},
				map[string]any{"type": "multiple_choice", "prompt": "5A 包括", "options": []any{
					map[string]any{"key": "a", "text": "办公"}, map[string]any{"key": "b", "text": "通讯"},
					map[string]any{"key": "c", "text": "绿化"}}, "answers": []string{"a", "b"}},
			}},
			map[string]any{"title": "三、论述", "questions": []any{
				map[string]any{"type": "essay", "prompt": "经理的重点工作?", "points": 10, "tracks": []string{"manager"},
					"reference_answer": "服务", "rubric": []any{map[string]any{"criterion": "服务意识", "points": 5}}},
				map[string]any{"type": "essay", "prompt": "主管如何排班?", "points": 5, "tracks": []string{"supervisor"}},
			}},
		},
	}
}

// TestOpenAPIResponsesFitTheSchemas walks the whole product through the
// API, from sign-up to a key amendment, and checks every request and
// response against the document.
func TestOpenAPIResponsesFitTheSchemas(t *testing.T) {
	t.Parallel()
	d := oaLoad(t)
	a := newApp(t)
	call := func(want int, method, path string, body any, token string) *resp {
		t.Helper()
		return a.oaCall(d, want, method, path, body, token)
	}
	const pw = "correct horse battery"
	type tokens struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		User         struct {
			ID string `json:"id"`
		} `json:"user"`
	}

	// Accounts
	var su tokens
	call(201, "POST", "/api/v1/signup", map[string]string{"organization": "OA Org", "name": "Ada", "email": "ada@oa.test", "password": pw}, "").Decode(t, &su)
	admin := su.AccessToken
	call(409, "POST", "/api/v1/signup", map[string]string{"organization": "OA Org", "name": "Ada", "email": "ada@oa.test", "password": pw}, "")
	call(422, "POST", "/api/v1/signup", map[string]string{"organization": "", "name": "", "email": "x", "password": "short"}, "")
	call(200, "POST", "/api/v1/auth/login", map[string]string{"email": "ada@oa.test", "password": pw}, "")
	call(401, "POST", "/api/v1/auth/login", map[string]string{"email": "ada@oa.test", "password": "wrong password"}, "")
	var rf tokens
	call(200, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": su.RefreshToken}, "").Decode(t, &rf)
	// Reuse after a successor was used (an immediate second use is a tab's grace).
	call(200, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": rf.RefreshToken}, "")
	call(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": su.RefreshToken}, "")
	call(200, "GET", "/api/v1/me", nil, admin)
	call(401, "GET", "/api/v1/me", nil, "")
	var rec, rev struct {
		ID string `json:"id"`
	}
	call(201, "POST", "/api/v1/users", map[string]string{"email": "rec@oa.test", "name": "Rec", "password": pw, "role": "recruiter"}, admin).Decode(t, &rec)
	call(201, "POST", "/api/v1/users", map[string]string{"email": "rev@oa.test", "name": "Rev", "password": pw, "role": "reviewer"}, admin).Decode(t, &rev)
	call(200, "GET", "/api/v1/users", nil, admin)
	call(200, "GET", "/api/v1/users/"+rec.ID, nil, admin)
	var rl, vl tokens
	call(200, "POST", "/api/v1/auth/login", map[string]string{"email": "rec@oa.test", "password": pw}, "").Decode(t, &rl)
	call(200, "POST", "/api/v1/auth/login", map[string]string{"email": "rev@oa.test", "password": pw}, "").Decode(t, &vl)
	recruiter, reviewer := rl.AccessToken, vl.AccessToken

	// Authoring
	created := call(201, "POST", "/api/v1/exams", oaExam(), recruiter)
	var e struct {
		ID string `json:"id"`
	}
	created.Decode(t, &e)
	call(422, "POST", "/api/v1/exams", map[string]any{"title": "", "time_limit_seconds": 0, "sections": []any{}}, recruiter)
	call(200, "GET", "/api/v1/exams", nil, recruiter)
	call(200, "GET", "/api/v1/exams?limit=1", nil, recruiter)
	call(400, "GET", "/api/v1/exams?limit=501", nil, recruiter)
	call(200, "GET", "/api/v1/exams/"+e.ID, nil, recruiter)
	call(404, "GET", "/api/v1/exams/"+uuid.NewString(), nil, recruiter)
	// The draft as returned, without its bookkeeping, is a document to PUT.
	doc := created.JSON()
	for _, k := range []string{"id", "status", "latest_version", "created_at", "updated_at"} {
		delete(doc, k)
	}
	doc["title"] = "OpenAPI 面试题 v2"
	call(200, "PUT", "/api/v1/exams/"+e.ID, doc, recruiter)
	call(409, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]string{"candidate_name": "Early", "candidate_email": "early@c.test", "track": "manager"}, recruiter)
	call(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, recruiter)
	call(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1", nil, recruiter)

	// Invitations
	var inv struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	call(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]string{"candidate_name": "王小明", "candidate_email": "wang@c.test", "track": "manager"}, recruiter).Decode(t, &inv)
	var many struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	call(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", []map[string]any{
		{"candidate_name": "Li", "candidate_email": "li@c.test", "track": "supervisor", "opens_at": time.Now().Add(-time.Hour).UTC(), "closes_at": time.Now().Add(48 * time.Hour).UTC()},
		{"candidate_name": "Zhao", "candidate_email": "zhao@c.test", "track": "manager"},
	}, recruiter).Decode(t, &many)
	call(422, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]string{"candidate_name": "", "candidate_email": "nope", "track": "intern"}, recruiter)
	call(204, "DELETE", "/api/v1/invitations/"+many.Items[1].ID, nil, recruiter)
	call(200, "PATCH", "/api/v1/invitations/"+many.Items[0].ID, map[string]any{"extra_time_seconds": 600, "closes_at": time.Now().Add(72 * time.Hour).UTC()}, recruiter)
	call(200, "PATCH", "/api/v1/invitations/"+many.Items[0].ID, map[string]any{"closes_at": nil}, recruiter)
	call(422, "PATCH", "/api/v1/invitations/"+many.Items[0].ID, map[string]any{"extra_time_seconds": -5}, recruiter)
	call(409, "PATCH", "/api/v1/invitations/"+many.Items[1].ID, map[string]any{"extra_time_seconds": 60}, recruiter)
	call(200, "POST", "/api/v1/invitations/"+many.Items[0].ID+"/link", nil, recruiter)
	call(409, "POST", "/api/v1/invitations/"+many.Items[1].ID+"/link", nil, recruiter)

	// Taking the exam
	var ses struct {
		AccessToken string `json:"access_token"`
	}
	call(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv.Token}, "").Decode(t, &ses)
	call(401, "POST", "/api/v1/candidate/sessions", map[string]string{"token": "not-a-token"}, "")
	cand := ses.AccessToken
	call(404, "GET", "/api/v1/candidate/attempt", nil, cand)
	var att struct {
		ID       string `json:"id"`
		Sections []struct {
			Questions []struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			} `json:"questions"`
		} `json:"sections"`
	}
	call(201, "POST", "/api/v1/candidate/attempt", nil, cand).Decode(t, &att)
	call(200, "POST", "/api/v1/candidate/attempt", nil, cand)
	answers := map[string]any{
		"fill_in": map[string]any{"blanks": []string{"客人"}}, "true_false": map[string]any{"value": false},
		"single_choice": map[string]any{"choice": "a"}, "multiple_choice": map[string]any{"choices": []string{"a", "c"}},
		"essay": map[string]any{"text": "服务第一"},
	}
	var lastQ, singleQ string
	for _, s := range att.Sections {
		for _, q := range s.Questions {
			call(200, "PUT", "/api/v1/candidate/attempt/answers/"+q.ID, map[string]any{"response": answers[q.Type], "seq": 2}, cand)
			lastQ = q.ID
			if q.Type == "single_choice" {
				singleQ = q.ID
			}
		}
	}
	if singleQ == "" {
		t.Fatal("no single_choice question in the candidate's view")
	}
	call(200, "PUT", "/api/v1/candidate/attempt/answers/"+lastQ, map[string]any{"response": map[string]any{"text": "stale"}, "seq": 1}, cand)
	call(422, "PUT", "/api/v1/candidate/attempt/answers/"+singleQ, map[string]any{"response": map[string]any{"choice": "zz"}, "seq": 3}, cand)
	call(202, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "blur", "at": time.Now().UTC()}, cand)
	call(422, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "sneeze"}, cand)
	call(200, "GET", "/api/v1/candidate/attempt", nil, cand)
	call(200, "POST", "/api/v1/candidate/attempt/submit", nil, cand)
	call(200, "POST", "/api/v1/candidate/attempt/submit", nil, cand)
	call(409, "PUT", "/api/v1/candidate/attempt/answers/"+singleQ, map[string]any{"response": answers["single_choice"], "seq": 9}, cand)
	call(200, "GET", "/api/v1/exams/"+e.ID+"/invitations", nil, recruiter)
	call(200, "GET", "/api/v1/exams/"+e.ID+"/invitations?limit=1", nil, recruiter)
	call(400, "GET", "/api/v1/exams/"+e.ID+"/invitations?limit=0", nil, recruiter)

	// Review
	call(200, "GET", "/api/v1/reviews/exams", nil, reviewer)
	call(200, "GET", "/api/v1/reviews/stats", nil, reviewer)
	call(200, "GET", "/api/v1/reviews/stats?exam_id="+e.ID, nil, reviewer)
	call(400, "GET", "/api/v1/reviews/stats?exam_id=nope", nil, reviewer)
	var item struct {
		ID string `json:"id"`
	}
	call(200, "POST", "/api/v1/reviews/claim", map[string]string{"exam_id": e.ID}, reviewer).Decode(t, &item)
	call(422, "POST", "/api/v1/reviews/"+item.ID+"/score", map[string]any{"points": 0.3}, reviewer)
	call(409, "POST", "/api/v1/reviews/"+item.ID+"/score", map[string]any{"points": 1}, admin)
	call(200, "POST", "/api/v1/reviews/"+item.ID+"/score", map[string]any{"points": 7.5, "comment": "清楚"}, reviewer)
	call(204, "POST", "/api/v1/reviews/claim", nil, reviewer)

	// Results
	var results struct {
		Items []struct {
			AttemptID string `json:"attempt_id"`
		} `json:"items"`
	}
	call(200, "GET", "/api/v1/exams/"+e.ID+"/results", nil, recruiter).Decode(t, &results)
	if len(results.Items) != 1 || results.Items[0].AttemptID != att.ID {
		t.Fatalf("results: %+v", results)
	}
	call(200, "GET", "/api/v1/exams/"+e.ID+"/results?include=not_started&sort=-score&limit=1", nil, recruiter)
	call(200, "GET", "/api/v1/exams/"+e.ID+"/results?status=pending,graded&track=manager", nil, recruiter)
	call(400, "GET", "/api/v1/exams/"+e.ID+"/results?sort=age", nil, recruiter)
	call(200, "GET", "/api/v1/exams/"+e.ID+"/results.csv", nil, recruiter)
	call(200, "GET", "/api/v1/exams/"+e.ID+"/results.csv?lang=zh-CN&tz=Asia/Shanghai", nil, recruiter)
	call(400, "GET", "/api/v1/exams/"+e.ID+"/results.csv?lang=fr", nil, recruiter)
	call(200, "GET", "/api/v1/attempts/"+att.ID, nil, recruiter)
	call(403, "POST", "/api/v1/attempts/"+att.ID+"/reopen", map[string]any{"extra_seconds": 60, "reason": "x"}, recruiter)
	call(409, "POST", "/api/v1/attempts/"+att.ID+"/reopen", map[string]any{"extra_seconds": 60, "reason": "x"}, admin)
	call(422, "POST", "/api/v1/attempts/"+att.ID+"/reopen", map[string]any{"extra_seconds": 0, "reason": "x"}, admin)
	keyPath := "/api/v1/exams/" + e.ID + "/versions/1/questions/" + singleQ + "/key"
	call(200, "PUT", keyPath+"?dry_run=true", map[string]any{"answer": "b"}, recruiter)
	call(400, "PUT", keyPath+"?dry_run=maybe", map[string]any{"answer": "b"}, recruiter)
	call(422, "PUT", keyPath, map[string]any{"answers": []string{"b"}}, recruiter)
	call(200, "PUT", keyPath, map[string]any{"answer": "b"}, recruiter)
	call(200, "PUT", keyPath, map[string]any{"answer": "a", "reason": "题目答案有误"}, recruiter)
	call(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1", nil, recruiter)
	call(200, "GET", "/api/v1/attempts/"+att.ID, nil, recruiter)
	for _, f := range formats.ExportFormats() {
		call(200, "GET", "/api/v1/exams/"+e.ID+"/export?format="+f, nil, recruiter)
		call(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1/export?format="+f, nil, recruiter)
	}
	call(400, "GET", "/api/v1/exams/"+e.ID+"/export?format=pdf", nil, recruiter)
	call(200, "GET", "/api/v1/imports/template.xlsx", nil, recruiter)
	call(404, "GET", "/api/v1/exams/"+e.ID+"/versions/9/export?format=gift", nil, recruiter)

	// The rest
	call(204, "POST", "/api/v1/auth/logout", map[string]string{"refresh_token": rf.RefreshToken}, "")
	call(200, "GET", "/healthz", nil, "")
	call(200, "GET", "/readyz", nil, "")
	call(200, "GET", "/api/v1/openapi.yaml", nil, "")
	// Under /api/v1 a method a path does not serve is an unknown endpoint;
	// at the root it is 405.
	if r := a.do("PATCH", "/api/v1/exams/"+e.ID, nil, recruiter); r.Status != 404 || r.Code() != "not_found" {
		t.Errorf("PATCH /api/v1/exams/{id}: %d %s, want 404 not_found", r.Status, r.Body)
	}
	if r := a.do("POST", "/healthz", nil, ""); r.Status != 405 || r.Code() != "method_not_allowed" {
		t.Errorf("POST /healthz: %d %s, want 405 method_not_allowed", r.Status, r.Body)
	}
}

// oaRecorder collects what a check reports instead of failing the test.
type oaRecorder struct {
	testing.TB
	errs []string
}

func (r *oaRecorder) Helper()                   {}
func (r *oaRecorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

// TestOpenAPICheckerCatchesMisfits: the response check passes a real
// response and reports each way a response can break the document.
func TestOpenAPICheckerCatchesMisfits(t *testing.T) {
	t.Parallel()
	d := oaLoad(t)
	a := newApp(t)
	s := a.signup("Checker Org", "admin@checker.test")
	real := a.must(200, "GET", "/api/v1/me", nil, s.AccessToken)
	o := d.find(t, "GET", "/api/v1/me")
	check := func(status int, ctype string, body []byte) []string {
		rec := &oaRecorder{TB: t}
		h := http.Header{}
		h.Set("Content-Type", ctype)
		d.checkResponse(rec, o, &resp{Status: status, Header: h, Body: body}, "GET /me")
		return rec.errs
	}
	if errs := check(200, real.Header.Get("Content-Type"), real.Body); len(errs) != 0 {
		t.Fatalf("a real response is reported: %v", errs)
	}
	edit := func(f func(m map[string]any)) []byte {
		m := real.JSON()
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	for name, body := range map[string][]byte{
		"a required member missing": edit(func(m map[string]any) { delete(m, "email") }),
		"a role outside the enum":   edit(func(m map[string]any) { m["role"] = "owner" }),
		"an id that is no uuid":     edit(func(m map[string]any) { m["id"] = "42" }),
		"a number for a string":     edit(func(m map[string]any) { m["name"] = 7 }),
		"a nested member missing":   edit(func(m map[string]any) { delete(m["organization"].(map[string]any), "name") }),
		"not JSON":                  []byte("{"),
	} {
		if errs := check(200, "application/json", body); len(errs) == 0 {
			t.Errorf("%s is not reported", name)
		}
	}
	if errs := check(200, "text/plain; charset=utf-8", []byte("hi")); len(errs) == 0 {
		t.Error("an undocumented content type is not reported")
	}
	if errs := check(418, "application/json", []byte(`{}`)); len(errs) == 0 {
		t.Error("an undocumented status is not reported")
	}
	if errs := check(401, "application/json", []byte(`{"error":{"code":"nope","message":"x"}}`)); len(errs) == 0 {
		t.Error("an unknown error code is not reported")
	}
}
