<?php
// Create a lead, find it, tag it and subscribe it in one chain, then see the duplicate refused:
// kartra-mock's /api called the way Kartra's own PHP sample calls Kartra (cURL, http_build_query).
//
//   php examples/php/create_and_search.php [BASE_URL]   (default http://127.0.0.1:8765)
//
// Exits 1 on any answer other than the expected one.

$base = $argv[1] ?? (getenv('KARTRA_MOCK_URL') ?: 'http://127.0.0.1:8765');
$credentials = ['app_id' => 'demo-app', 'api_key' => 'demo-key', 'api_password' => 'demo-password'];

function kartra(string $base, array $fields): array
{
    $ch = curl_init();
    curl_setopt($ch, CURLOPT_URL, $base . '/api');
    curl_setopt($ch, CURLOPT_POST, 1);
    curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($fields));
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    $body = curl_exec($ch);
    if ($body === false) {
        fail('cannot reach ' . $base . '/api: ' . curl_error($ch));
    }
    curl_close($ch);
    $answer = json_decode($body, true);
    if (!is_array($answer)) {
        fail('not a JSON answer: ' . $body);
    }
    return $answer;
}

function fail(string $why): void
{
    fwrite(STDERR, "unexpected: $why\n");
    exit(1);
}

function expect(bool $ok, string $what, array $answer): void
{
    if (!$ok) {
        fail($what . ': ' . json_encode($answer));
    }
    echo $what . ': ' . json_encode($answer) . "\n";
}

// A new address each run, so the example can run again against the same server.
$email = 'ada.' . bin2hex(random_bytes(4)) . '@example.com';

$created = kartra($base, $credentials + [
    'lead' => ['email' => $email, 'first_name' => 'Ada'],
    'actions' => [['cmd' => 'create_lead']],
]);
$id = $created['actions'][0]['create_lead']['lead_details']['id'] ?? null;
expect($created['status'] === 'Success' && $id !== null, 'create_lead', $created);

$found = kartra($base, $credentials + [
    'lead' => ['email' => strtoupper($email)],
    'actions' => [['cmd' => 'search_lead']],
]);
expect(($found['message'] ?? '') === 'Lead found' && $found['lead_details']['id'] === $id, 'search_lead', $found);

$chain = kartra($base, $credentials + [
    'lead' => ['id' => $id],
    'actions' => [
        ['cmd' => 'assign_tag', 'tag_name' => 'Customer'],
        ['cmd' => 'subscribe_lead_to_list', 'list_name' => 'Newsletter'],
    ],
]);
expect(
    $chain['status'] === 'Success'
    && ($chain['actions'][0]['assign_tag']['type'] ?? '') === '103'
    && ($chain['actions'][1]['subscribe_lead_to_list']['type'] ?? '') === '101',
    'assign_tag + subscribe_lead_to_list',
    $chain
);

$again = kartra($base, $credentials + [
    'lead' => ['email' => $email],
    'actions' => [['cmd' => 'create_lead']],
]);
expect($again['status'] === 'Error' && $again['type'] === '244', 'create_lead again', $again);
