import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstHeader } from '../header-map.ts';
import { count, createBookinfoMesh, REVIEWS_POD } from './bookinfo-mesh.test-support.ts';
import { DETAILS_UNAVAILABLE, REVIEWS_UNAVAILABLE } from './productpage.ts';
import { RATINGS_UNAVAILABLE } from './reviews.ts';

const STAR = 'glyphicon glyphicon-star';
const EMPTY_STAR = 'd="M11.48 3.499';

test('reviews v1: the page has details, reviews, no stars, and names the reviews pod', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v1' });
  const page = await mesh.get('/productpage');
  assert.equal(page.status, 200);
  assert.equal(firstHeader(page.headers, 'content-type'), 'text/html; charset=utf-8');
  assert.match(page.body, /<title>Simple Bookstore App<\/title>/);
  assert.match(page.body, /BookInfo Sample/);
  assert.match(page.body, /The Comedy of Errors/);
  assert.match(page.body, /<b>William Shakespeare's<\/b>/);
  assert.match(page.body, /<h4 class="text-3xl font-semibold">Book Details<\/h4>/);
  for (const cell of ['>1234567890</td>', '>PublisherA</td>', '>200</td>', '>paperback</td>', '>English</td>']) assert.ok(page.body.includes(cell), cell);
  assert.match(page.body, /<h4 class="text-3xl font-semibold">Book Reviews<\/h4>/);
  assert.equal(count(page.body, STAR), 0);
  assert.equal(count(page.body, 'Reviews served by: \n                  reviews-v1-6f85cb9b7c-2hf7c\n'), 2);
  assert.match(page.body, /<p>"An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"<\/p>/);
  assert.ok(!page.body.includes('on cluster'));
  assert.equal(mesh.callsTo('ratings').length, 0);
});

test('reviews v2: nine black filled stars (5 + 4) and one empty star', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v2' });
  const page = await mesh.get('/productpage');
  assert.equal(count(page.body, STAR), 9);
  assert.equal(count(page.body, '<div class="flex gap-x-1 text-black-500">'), 2);
  assert.equal(count(page.body, EMPTY_STAR), 1);
  assert.ok(page.body.includes(REVIEWS_POD('v2')));
});

test('reviews v3: red stars', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v3' });
  const page = await mesh.get('/productpage');
  assert.equal(count(page.body, STAR), 9);
  assert.equal(count(page.body, '<div class="flex gap-x-1 text-red-500">'), 2);
  assert.ok(!page.body.includes('text-black-500'));
});

test('the star markup is laid out exactly as the Jinja template renders it', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v2' });
  const page = await mesh.get('/productpage');
  const lastFilled = '              </svg>\n              \n              \n              <svg xmlns="http://www.w3.org/2000/svg" fill="none"';
  assert.ok(page.body.includes(lastFilled));
  assert.ok(page.body.includes('<div class="mx-auto max-w-2xl">\n            \n            \n            <div class="flex gap-x-1'));
  assert.ok(page.body.endsWith('      </div>\n      \n    </div>\n    </div>\n  </div>\n</div>\n'));
  assert.ok(page.body.startsWith('\n<meta charset="utf-8">\n'));
});

test('details unreachable: the page is still 200 and says details are unavailable', async () => {
  const mesh = createBookinfoMesh({ faults: { details: { kind: 'refuse' } } });
  const page = await mesh.get('/productpage');
  assert.equal(page.status, 200);
  assert.ok(page.body.includes('<p class="text-2xl text-red-500">Error fetching product details</p>'));
  assert.ok(page.body.includes(`<p class="text-lg text-gray-600">${DETAILS_UNAVAILABLE}</p>`));
  assert.ok(!page.body.includes('Book Details'));
  assert.ok(page.body.includes('Book Reviews'));
  assert.equal(mesh.callsTo('details').length, 1, 'details gets a single try');
});

test('reviews hanging: two 3 s attempts, then the error after 6 s of virtual time', async () => {
  const mesh = createBookinfoMesh({ faults: { reviews: { kind: 'hang' } } });
  const started = mesh.clock.now();
  const page = await mesh.get('/productpage');
  const elapsed = mesh.clock.now() - started;
  assert.equal(page.status, 200);
  assert.ok(page.body.includes('<p class="text-2xl text-red-500">Error fetching product reviews</p>'));
  assert.ok(page.body.includes(REVIEWS_UNAVAILABLE));
  assert.equal(mesh.callsTo('reviews').length, 2);
  assert.ok(elapsed >= 6000 && elapsed < 6200, `elapsed ${elapsed}`);
  assert.ok(mesh.callsTo('reviews').every((call) => call.timeoutMs === 3000 && call.signal?.aborted === true));
});

test('reviews failing once is retried and the second answer is used', async () => {
  const mesh = createBookinfoMesh({
    reviewsVersion: 'v3',
    faults: { reviews: (_request, attempt) => (attempt === 1 ? { kind: 'abort', status: 503 } : undefined) },
  });
  const page = await mesh.get('/productpage');
  assert.equal(mesh.callsTo('reviews').length, 2);
  assert.equal(count(page.body, STAR), 9);
});

test('ratings abort 500 (jason on v2): each review says ratings are unavailable', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v2', faults: { ratings: { kind: 'abort', status: 500 } } });
  const page = await mesh.get('/productpage');
  assert.equal(count(page.body, `<p class="text-red-500">${RATINGS_UNAVAILABLE}</p>`), 2);
  assert.equal(count(page.body, STAR), 0);
  assert.ok(page.body.includes('Book Reviews'));
});

test('ratings delayed 7 s behind v2: productpage gives up on reviews after about 6 s', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v2', faults: { ratings: { kind: 'delay', ms: 7000 } } });
  const started = mesh.clock.now();
  const page = await mesh.get('/productpage');
  const elapsed = mesh.clock.now() - started;
  assert.ok(page.body.includes(REVIEWS_UNAVAILABLE));
  assert.ok(elapsed >= 6000 && elapsed < 6200, `elapsed ${elapsed}`);
  assert.equal(mesh.callsTo('ratings')[0]?.timeoutMs, 10_000);
});

test('v3 tolerates a 2 s ratings delay but not a 3 s one (2.5 s timeout)', async () => {
  const fast = createBookinfoMesh({ reviewsVersion: 'v3', faults: { ratings: { kind: 'delay', ms: 2000 } } });
  assert.equal(count((await fast.get('/productpage')).body, STAR), 9);
  const slow = createBookinfoMesh({ reviewsVersion: 'v3', faults: { ratings: { kind: 'delay', ms: 3000 } } });
  const page = await slow.get('/productpage');
  assert.equal(count(page.body, RATINGS_UNAVAILABLE), 2);
  assert.equal(slow.callsTo('reviews').length, 1);
});

test('login sets a session cookie; the page then shows the user and sends end-user downstream', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v2' });
  const login = await mesh.settle(
    mesh.productpage(
      {
        method: 'POST',
        path: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'http://192.168.1.10/productpage' },
        body: 'username=jason&passwd=anything',
      },
      mesh.context,
    ),
  );
  assert.equal(login.status, 302);
  assert.equal(firstHeader(login.headers, 'location'), 'http://192.168.1.10/productpage');
  const setCookie = firstHeader(login.headers, 'set-cookie') ?? '';
  assert.match(setCookie, /^session=eyJ1c2VyIjoiamFzb24ifQ\.[\w-]+\.[\w-]+; HttpOnly; Path=\/$/);
  assert.ok(login.body.includes('Redirecting...'));
  const cookie = setCookie.split(';')[0] ?? '';

  const page = await mesh.get('/productpage', { cookie, 'x-request-id': 'req-1', 'x-b3-traceid': 'abc', 'user-agent': 'curl/8.16.0' });
  assert.ok(page.body.includes('<p class="text-base font-medium text-gray-50">jason</p>'));
  assert.ok(page.body.includes('<a href="logout"'));
  assert.ok(!page.body.includes('id="sign-in-button"'));
  for (const call of [...mesh.callsTo('details'), ...mesh.callsTo('reviews')]) {
    assert.equal(call.headers['end-user'], 'jason');
    assert.equal(call.headers['x-request-id'], 'req-1');
    assert.equal(call.headers['x-b3-traceid'], 'abc');
    assert.equal(call.headers['user-agent'], 'curl/8.16.0');
    assert.equal(call.headers['cookie'], cookie);
  }
  // reviews passes end-user on to ratings (but not the cookie).
  const ratingsCall = mesh.callsTo('ratings')[0];
  assert.equal(ratingsCall?.headers['end-user'], 'jason');
  assert.equal(ratingsCall?.headers['cookie'], undefined);

  const logout = await mesh.settle(mesh.productpage({ method: 'GET', path: '/logout', headers: { cookie, referer: 'http://gw/productpage' }, body: '' }, mesh.context));
  assert.equal(logout.status, 302);
  assert.equal(firstHeader(logout.headers, 'set-cookie'), 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/');
});

test('anonymous and forged sessions send no end-user header', async () => {
  const mesh = createBookinfoMesh();
  const anonymous = await mesh.get('/productpage');
  assert.ok(anonymous.body.includes('id="sign-in-button"'));
  const forged = await mesh.get('/productpage', { cookie: 'session=eyJ1c2VyIjoiamFzb24ifQ.aaaa.bbbb' });
  assert.ok(forged.body.includes('id="sign-in-button"'));
  assert.ok(mesh.calls.every((call) => call.headers['end-user'] === undefined));
});

test('the user name is HTML-escaped on the page', async () => {
  const mesh = createBookinfoMesh();
  const login = await mesh.settle(
    mesh.productpage({ method: 'POST', path: '/login?username=%3Cb%3Ex', headers: { referer: '/productpage' }, body: '' }, mesh.context),
  );
  const cookie = (firstHeader(login.headers, 'set-cookie') ?? '').split(';')[0] ?? '';
  const page = await mesh.get('/productpage', { cookie });
  assert.ok(page.body.includes('>&lt;b&gt;x</p>'));
});

test('login without a Referer still logs in: Werkzeug redirects to the text "None"', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v2' });
  const login = await mesh.settle(
    mesh.productpage({ method: 'POST', path: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=jason&passwd=password' }, mesh.context),
  );
  assert.equal(login.status, 302);
  assert.equal(firstHeader(login.headers, 'location'), 'None');
  assert.match(login.body, /<a href="None">None<\/a>/);
  const cookie = (firstHeader(login.headers, 'set-cookie') ?? '').split(';')[0] ?? '';
  assert.match(cookie, /^session=/);
  const page = await mesh.get('/productpage', { cookie });
  assert.ok(page.body.includes('jason'));
});

test('JSON API: products, details, reviews and ratings in Python json.dumps format', async () => {
  const mesh = createBookinfoMesh({ reviewsVersion: 'v2' });
  const products = await mesh.get('/api/v1/products');
  assert.equal(products.status, 200);
  assert.equal(firstHeader(products.headers, 'content-type'), 'application/json');
  assert.match(products.body, /^\[\{"id": 0, "title": "The Comedy of Errors", "descriptionHtml": "<a href=\\"https:/);

  const details = await mesh.get('/api/v1/products/0');
  assert.equal(
    details.body,
    '{"id": 0, "author": "William Shakespeare", "year": 1595, "type": "paperback", "pages": 200, "publisher": "PublisherA", "language": "English", "ISBN-10": "1234567890", "ISBN-13": "123-1234567890"}',
  );

  const reviews = await mesh.get('/api/v1/products/0/reviews');
  const parsed = JSON.parse(reviews.body) as { podname: string; clustername: string; reviews: { rating: { stars: number; color: string } }[] };
  assert.equal(parsed.podname, REVIEWS_POD('v2'));
  assert.equal(parsed.clustername, 'null');
  assert.deepEqual(parsed.reviews.map((review) => review.rating), [{ stars: 5, color: 'black' }, { stars: 4, color: 'black' }]);

  const ratings = await mesh.get('/api/v1/products/0/ratings');
  assert.equal(ratings.body, '{"id": 0, "ratings": {"Reviewer1": 5, "Reviewer2": 4}}');
});

test('JSON API failures carry the upstream status and the error text', async () => {
  const mesh = createBookinfoMesh({ faults: { details: { kind: 'abort', status: 503 }, reviews: { kind: 'refuse' } } });
  const details = await mesh.get('/api/v1/products/0');
  assert.equal(details.status, 503);
  assert.equal(details.body, `{"error": "${DETAILS_UNAVAILABLE}"}`);
  const reviews = await mesh.get('/api/v1/products/0/reviews');
  assert.equal(reviews.status, 500);
  assert.equal(reviews.body, `{"error": "${REVIEWS_UNAVAILABLE}"}`);
});

test('health, landing page, unknown paths and wrong methods', async () => {
  const mesh = createBookinfoMesh();
  assert.equal((await mesh.get('/health')).body, 'Product page is healthy');
  const landing = await mesh.get('/');
  assert.ok(landing.body.includes('Hello! This is a simple bookstore application consisting of three services as shown below'));
  assert.ok(landing.body.includes('<a href="/productpage?u=normal"'));
  assert.ok(landing.body.includes('>Test user</a>'));
  const missing = await mesh.get('/nope');
  assert.equal(missing.status, 404);
  assert.match(missing.body, /<title>404 Not Found<\/title>/);
  const wrong = await mesh.settle(mesh.productpage({ method: 'POST', path: '/productpage', headers: {}, body: '' }, mesh.context));
  assert.equal(wrong.status, 405);
  assert.equal(firstHeader(wrong.headers, 'allow'), 'GET, HEAD, OPTIONS');
  assert.equal(mesh.calls.length, 0);
});
