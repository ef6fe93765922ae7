#!/usr/bin/env bash
# kehoach behind a local nginx at /kehoach/, using the exact nginx block of docs/EMBEDDING.md.
#
#   scripts/proxy_test.sh [--fake] [--hold]
#     --fake  serve the tests' fake engine (starts in seconds) instead of `kehoach serve`
#     --hold  after the checks, print PROXY_URL=... and keep nginx and the app running
#             until this script is stopped (the browser test drives the page meanwhile)
#
# Loopback only; both servers are stopped on exit. Needs nginx (scripts/test_deps.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${KEHOACH_PYTHON:-$repo/.venv/bin/python}"
nginx_bin="${NGINX:-/usr/sbin/nginx}"
fake=0
hold=0
for arg in "$@"; do
    case "$arg" in
        --fake) fake=1 ;;
        --hold) hold=1 ;;
        *) echo "proxy_test: tham số không hợp lệ: $arg (usage: [--fake] [--hold])" >&2; exit 2 ;;
    esac
done
[ -x "$nginx_bin" ] || { echo "proxy_test: cần nginx ($nginx_bin); chạy scripts/test_deps.sh" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/kehoach-proxy.XXXXXX")"
app_pid=""
nginx_pid=""
cleanup() {
    for pid in $nginx_pid $app_pid; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $nginx_pid $app_pid; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
app_port="$(free_port)"
proxy_port="$(free_port)"
origin="http://127.0.0.1:$proxy_port"

if [ "$fake" = 1 ]; then
    "$py" "$repo/tests/ui_fake_engine.py" --port "$app_port" --root-path /kehoach >"$work/app.log" 2>&1 &
    limit=120
else
    "$py" -m kehoach.cli serve --port "$app_port" --root-path /kehoach >"$work/app.log" 2>&1 &
    limit=900   # the first run builds the index
fi
app_pid=$!
for ((i = 0; i < limit * 4; i++)); do
    curl -sf -o /dev/null "http://127.0.0.1:$app_port/api/health" && break
    kill -0 "$app_pid" 2>/dev/null || { echo "proxy_test: máy chủ kehoach dừng:" >&2; tail -5 "$work/app.log" >&2; exit 1; }
    sleep 0.25
done
curl -sf -o /dev/null "http://127.0.0.1:$app_port/api/health" || { echo "proxy_test: kehoach không sẵn sàng" >&2; exit 1; }

# The documented block, with the app's port.
location="$(awk '/^```nginx/{on=1; next} /^```/{if (on) exit} on' "$repo/docs/EMBEDDING.md" \
    | sed "s#http://127.0.0.1:7860/#http://127.0.0.1:$app_port/#")"
grep -q "proxy_pass http://127.0.0.1:$app_port/;" <<<"$location" || { echo "proxy_test: không thấy khối nginx trong docs/EMBEDDING.md" >&2; exit 1; }

mkdir -p "$work/www/portal" "$work/tmp"
# nginx started as root serves files as an unprivileged worker.
chmod 755 "$work" "$work/www" "$work/www/portal"
cat >"$work/www/portal/iframe.html" <<EOF
<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng nội bộ: iframe</title></head>
<body><h1>Cổng thông tin nội bộ</h1>
<iframe src="/kehoach/" title="Tra cứu kế hoạch" style="width: 100%; height: 1100px; border: 0;"></iframe>
</body></html>
EOF
cat >"$work/www/portal/component.html" <<EOF
<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng nội bộ: gradio-app</title>
<script type="module" src="/kehoach/embed.js"></script></head>
<body><h1>Cổng thông tin nội bộ</h1>
<gradio-app src="$origin/kehoach/" eager="true"></gradio-app>
</body></html>
EOF
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 256; }
http {
    access_log $work/access.log;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    types { text/html html; application/javascript js; text/css css; }
    server {
        listen 127.0.0.1:$proxy_port;
        root $work/www;
$location
    }
}
EOF
"$nginx_bin" -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for ((i = 0; i < 40; i++)); do
    curl -s -o /dev/null "$origin/portal/iframe.html" && break
    sleep 0.25
done

checks=0
fail() { echo "proxy_test: LỖI: $*" >&2; tail -5 "$work/error.log" >&2 || true; exit 1; }
ok() { checks=$((checks + 1)); echo "ok  $*"; }
json() { "$py" -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$origin/kehoach")" = "301 $origin/kehoach/" ] \
    || fail "/kehoach không chuyển sang /kehoach/"
ok "/kehoach -> 301 /kehoach/"

page="$(curl -sf "$origin/kehoach/")" || fail "trang /kehoach/ không tải được"
grep -q "Tra cứu kế hoạch tỉnh Quảng Ngãi" <<<"$page" || fail "trang thiếu tiêu đề"
ok "GET /kehoach/ 200"

assets="$(grep -o '\./assets/index-[^"]*\.\(js\|css\)' <<<"$page" | sort -u)"
[ -n "$assets" ] || fail "trang không có tài nguyên ./assets/"
for a in $assets; do
    curl -sf -o /dev/null "$origin/kehoach/${a#./}" || fail "tài nguyên $a không có dưới /kehoach/"
done
ok "assets under /kehoach/assets/ ($(wc -w <<<"$assets"))"

root="$(curl -sf "$origin/kehoach/config" | json 'd["root"]')"
[ "$root" = "$origin/kehoach" ] || fail "config root = $root, cần $origin/kehoach"
ok "config root = $root"

font="$(curl -sf "$origin/kehoach/theme.css" | grep -o "url('static/fonts/[^']*')" | head -1 | sed "s/url('\(.*\)')/\1/")"
[ -n "$font" ] && curl -sf -o /dev/null "$origin/kehoach/$font" || fail "phông chữ $font không có dưới /kehoach/"
ok "local font /kehoach/$font"

embed="$(curl -sf "$origin/kehoach/embed.js")" || fail "/kehoach/embed.js"
for a in $(grep -o '"\./assets/[^"]*"' <<<"$embed" | tr -d '"'); do
    curl -sf -o /dev/null "$origin/kehoach/${a#./}" || fail "embed.js trỏ tới $a không tồn tại"
done
ok "GET /kehoach/embed.js and its assets"

answer="$(curl -sf -X POST "$origin/kehoach/api/ask" -H 'content-type: application/json' \
    -d '{"question": "Sở nào chủ trì giáo dục STEM?", "k": 3}')" || fail "POST /kehoach/api/ask"
grep -q "Sở Giáo dục và Đào tạo" <<<"$answer" || fail "câu trả lời thiếu Sở Giáo dục và Đào tạo: ${answer:0:300}"
ok "POST /kehoach/api/ask"

code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$origin/kehoach/api/ask" -H 'content-type: application/json' -d '{"question": ""}')"
[ "$code" = 400 ] || fail "câu hỏi trống trả $code, cần 400"
ok "POST /kehoach/api/ask empty -> 400"

curl -sf "$origin/kehoach/api/health" | grep -q '"status":"ok"' || fail "/kehoach/api/health"
ok "GET /kehoach/api/health"

event="$(curl -sf -X POST "$origin/kehoach/gradio_api/call/ask" -H 'content-type: application/json' \
    -d '{"data": ["Sở nào chủ trì giáo dục STEM?", 3, null]}' | json 'd["event_id"]')" || fail "gradio /ask"
stream="$(curl -sf -N --max-time 120 "$origin/kehoach/gradio_api/call/ask/$event")" || fail "luồng SSE /ask"
lead="$(grep -A1 "^event: complete" <<<"$stream" | sed -n 's/^data: //p' | json 'd[0]["results"][0]["lead"][0]')" \
    || fail "luồng SSE qua nginx không hoàn tất: ${stream:0:300}"
[ "$lead" = "Sở Giáo dục và Đào tạo" ] || fail "luồng SSE: cơ quan chủ trì = $lead"
ok "Gradio /ask over server-sent events through nginx"

echo "proxy_test: all $checks checks passed"
if [ "$hold" = 1 ]; then
    echo "PROXY_URL=$origin"
    wait "$nginx_pid"
fi
