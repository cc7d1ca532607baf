// productpage's `/` and `/index.html`: the landing page with the service table (json2html of
// productpage.py's service graph) and the "Normal user" / "Test user" links.

import { htmlEscape } from '../html-escape.ts';

interface ServiceNode {
  readonly name: string;
  readonly endpoint: string;
  readonly children: readonly ServiceNode[];
}

/** productpage.py's `productpage` dict; its own entry really does name details. */
function serviceGraph(hosts: { details: string; reviews: string; ratings: string }): ServiceNode {
  const details = { name: `http://${hosts.details}:9080`, endpoint: 'details', children: [] };
  const ratings = { name: `http://${hosts.ratings}:9080`, endpoint: 'ratings', children: [] };
  const reviews = { name: `http://${hosts.reviews}:9080`, endpoint: 'reviews', children: [ratings] };
  return { name: `http://${hosts.details}:9080`, endpoint: 'details', children: [details, reviews] };
}

const TABLE = 'class="table table-condensed table-bordered table-hover"';

/** json2html: an object becomes a two-column table, a list of objects a table with a header row. */
function table(node: ServiceNode): string {
  const children =
    node.children.length === 0
      ? ''
      : `<table ${TABLE}><thead><tr><th>name</th><th>endpoint</th><th>children</th></tr></thead><tbody>${node.children
          .map((child) => `<tr><td>${htmlEscape(child.name)}</td><td>${child.endpoint}</td><td>${child.children.length === 0 ? '' : childRows(child.children)}</td></tr>`)
          .join('')}</tbody></table>`;
  return `<table ${TABLE}><tr><th>name</th><td>${htmlEscape(node.name)}</td></tr><tr><th>endpoint</th><td>${node.endpoint}</td></tr><tr><th>children</th><td>${children}</td></tr></table>`;
}

function childRows(children: readonly ServiceNode[]): string {
  return `<table ${TABLE}><thead><tr><th>name</th><th>endpoint</th><th>children</th></tr></thead><tbody>${children
    .map((child) => `<tr><td>${htmlEscape(child.name)}</td><td>${child.endpoint}</td><td></td></tr>`)
    .join('')}</tbody></table>`;
}

export function renderLandingPage(hosts: { details: string; reviews: string; ratings: string }): string {
  return `
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">


<title>Simple Bookstore App</title>

<script src="static/tailwind/tailwind.css"></script>



<div class="container mx-auto px-4 sm:px-6 lg:px-8">
  <div class="mt-8">
    <h3 class="text-3xl font-bold">Hello! This is a simple bookstore application consisting of three services as shown below</h3>
  </div>

  <div class="mt-4">
    ${table(serviceGraph(hosts))}
  </div>

  <div class="mt-8">
    <h4 class="text-xl">Click on one of the links below to auto generate a request to the backend as a real user or a tester</h4>
  </div>
  <p class="mt-4"><a href="/productpage?u=normal" class="text-blue-600 hover:text-blue-500">Normal user</a></p>
  <p><a href="/productpage?u=test" class="text-blue-600 hover:text-blue-500">Test user</a></p>
</div>
`;
}
