<?php
// A Pemda app's BSrE client, written the way the public PHP integrations
// call BSrE (Guzzle from Debian for the multipart calls, plain php-curl
// for the v1 QR call, json_encode for v2): booleans straight from the
// language, sizes with tags, the document downloaded once.  Only the base
// URL and the credentials point at sertel.
//
// usage: php bsre_client.php BASE_URL USER SECRET NIK PASSPHRASE PDF PNG OUTDIR MAILDIR EMAIL
// Writes OUTDIR/*.pdf and OUTDIR/result.json (what each call answered).
// MAILDIR is the loopback SMTP server's mailbox, where the owner (EMAIL)
// reads the code BSrE's get/totp mails; the app gets it as a user types it.
require '/usr/share/php/GuzzleHttp/autoload.php';

[$self, $base, $user, $secret, $nik, $pass, $pdf, $png, $out, $maildir, $email] = $argv;
$http = new GuzzleHttp\Client(['base_uri' => $base, 'auth' => [$user, $secret],
                               'http_errors' => false, 'timeout' => 60]);
$res = [];

// v1, visible with the signature image on the "#" tag, 80 x 40 points:
// Guzzle turns the PHP boolean into "1".
$r = $http->post('/api/sign/pdf', ['multipart' => [
    ['name' => 'file', 'contents' => fopen($pdf, 'r'), 'filename' => 'surat.pdf'],
    ['name' => 'nik', 'contents' => $nik],
    ['name' => 'passphrase', 'contents' => $pass],
    ['name' => 'tampilan', 'contents' => 'visible'],
    ['name' => 'image', 'contents' => true],
    ['name' => 'imageTTD', 'contents' => fopen($png, 'r'), 'filename' => 'ttd.png'],
    ['name' => 'tag_koordinat', 'contents' => '#'],
    ['name' => 'width', 'contents' => 80],
    ['name' => 'height', 'contents' => 40],
]]);
$res['v1_image_status'] = $r->getStatusCode();
$res['v1_image_id'] = $r->getHeaderLine('id_dokumen');
file_put_contents("$out/php-v1-image.pdf", (string)$r->getBody());

// v1 with a QR code through php-curl: false becomes an empty field.
$c = curl_init("$base/api/sign/pdf");
curl_setopt_array($c, [
    CURLOPT_USERPWD => "$user:$secret", CURLOPT_RETURNTRANSFER => true, CURLOPT_HEADER => true,
    CURLOPT_POSTFIELDS => [
        'file' => new CURLFile($pdf, 'application/pdf', 'surat.pdf'),
        'nik' => $nik, 'passphrase' => $pass, 'tampilan' => 'visible', 'image' => false,
        'linkQR' => 'https://contoh.cirebonkota.go.id/surat/1',
        'halaman' => 'terakhir', 'xAxis' => 400, 'yAxis' => 100, 'width' => 120, 'height' => 120,
    ]]);
$raw = curl_exec($c);
$hs = curl_getinfo($c, CURLINFO_HEADER_SIZE);
$res['v1_qr_status'] = curl_getinfo($c, CURLINFO_RESPONSE_CODE);
curl_close($c);
file_put_contents("$out/php-v1-qr.pdf", substr($raw, $hs));

// Download once, then again: BSrE answers the second with 4044.
$id = $res['v1_image_id'];
$r = $http->get("/api/sign/download/$id");
$res['download_status'] = $r->getStatusCode();
$res['download_id'] = $r->getHeaderLine('id_dokumen');
file_put_contents("$out/php-download.pdf", (string)$r->getBody());
$r = $http->get("/api/sign/download/$id");
$res['download2_status'] = $r->getStatusCode();
$res['download2_code'] = json_decode((string)$r->getBody(), true)['status_code'] ?? null;

// v2: the NIK as an int, originX/originY as numbers (top-left origin).
$r = $http->post('/api/v2/sign/pdf', ['json' => [
    'nik' => (int)$nik, 'passphrase' => $pass,
    'signatureProperties' => [['tampilan' => 'VISIBLE', 'imageBase64' => base64_encode(file_get_contents($png)),
                               'page' => 1, 'originX' => 400.0, 'originY' => 20.0,
                               'width' => 100.0, 'height' => 50.0, 'reason' => 'Disetujui',
                               'location' => 'Cirebon']],
    'file' => [base64_encode(file_get_contents($pdf))],
]]);
$res['v2_status'] = $r->getStatusCode();
$j = json_decode((string)$r->getBody(), true);
file_put_contents("$out/php-v2.pdf", base64_decode($j['file'][0] ?? ''));

// Verify, v1 and v2, as clients read the answers.
$r = $http->post('/api/sign/verify', ['multipart' => [
    ['name' => 'signed_file', 'contents' => fopen("$out/php-v2.pdf", 'r'), 'filename' => 'php-v2.pdf']]]);
$j = json_decode((string)$r->getBody(), true);
$res['v1_verify_summary'] = $j['summary'] ?? null;
$res['v1_verify_signed_in'] = $j['details'][0]['signature_document']['signed_in'] ?? null;
$r = $http->post('/api/v2/verify/pdf', ['json' => ['file' => base64_encode(file_get_contents("$out/php-v2.pdf"))]]);
$j = json_decode((string)$r->getBody(), true);
$res['v2_verify_conclusion'] = $j['conclusion'] ?? null;
$res['v2_verify_chain'] = count($j['signatureInformations'][0]['certificateDetails'] ?? []);
// TOTP by e-mail (BSrE's v2 flow, last: its wrong codes count toward the
// owner's lock): ask for a code, read it from the owner's mailbox, sign
// with it instead of the passphrase; the same code again and a wrong one
// are refused with BSrE's {"error", "status_code"}.
function mailed_code(string $maildir, string $email, int $seconds): ?string {
    $end = microtime(true) + $seconds;
    do {
        foreach (array_merge(glob("$maildir/new/*") ?: [], glob("$maildir/cur/*") ?: []) as $f) {
            $m = file_get_contents($f);
            [$head, $body] = array_pad(preg_split("/\r?\n\r?\n/", $m, 2), 2, '');
            if (!preg_match('/^To:.*' . preg_quote($email, '/') . '/mi', $head))
                continue;
            if (preg_match('/^Content-Transfer-Encoding:\s*quoted-printable/mi', $head))
                $body = quoted_printable_decode($body);
            if (preg_match('/Anda: (\d{6})/', $body, $hit)) {
                unlink($f); // read once, as a person reads a mail
                return $hit[1];
            }
        }
        usleep(200000);
    } while (microtime(true) < $end);
    return null;
}
function bsre_error($r): array {
    $j = json_decode((string)$r->getBody(), true);
    return [$r->getStatusCode(), $j['status_code'] ?? null, is_string($j['error'] ?? null)];
}
$r = $http->post('/api/v2/sign/get/totp', ['json' => ['nik' => $nik, 'data' => 1]]);
$res['totp_get_status'] = $r->getStatusCode();
$res['totp_get_success'] = json_decode((string)$r->getBody(), true)['success'] ?? null;
$code = mailed_code($maildir, $email, 30);
$res['totp_code_len'] = strlen($code ?? '');
$res['totp_code'] = $code; // for the test's own checks (log, audit)
$totp_sign = ['json' => [
    'nik' => $nik, 'totp' => $code,
    'signatureProperties' => [['tampilan' => 'INVISIBLE', 'reason' => 'Disetujui dengan kode e-mail']],
    'file' => [base64_encode(file_get_contents($pdf))],
]];
$r = $http->post('/api/v2/sign/pdf', $totp_sign);
$res['totp_sign_status'] = $r->getStatusCode();
$j = json_decode((string)$r->getBody(), true);
file_put_contents("$out/php-totp.pdf", base64_decode($j['file'][0] ?? ''));
[$res['totp_reuse_status'], $res['totp_reuse_code'], $res['totp_reuse_error']] =
    bsre_error($http->post('/api/v2/sign/pdf', $totp_sign));
$http->post('/api/v2/sign/get/totp', ['json' => ['nik' => $nik]]);
$fresh = mailed_code($maildir, $email, 30);
$totp_sign['json']['totp'] = $fresh === '000000' ? '111111' : '000000';
[$res['totp_wrong_status'], $res['totp_wrong_code'], $res['totp_wrong_error']] =
    bsre_error($http->post('/api/v2/sign/pdf', $totp_sign));
file_put_contents("$out/result.json", json_encode($res, JSON_PRETTY_PRINT) . "\n");
