"""English messages of notebook 07-build-time-assets: titles, hints and the build checks.

Hints are shown without str.format (no values), so braces in them are literal: write
{} here, not {{}}. Reasons and next steps are formatted: {{ }} for a literal brace.
"""

MESSAGES: dict[str, str] = {
    # == 07-build-time-assets ============================================================
    "07-build-time-assets.q1.title": "07 · q1 · a build step: bundles with fingerprinted names",
    "07-build-time-assets.q1.hint.1": "The build runs once per release, never in a web "
    "process. Make one CSS bundle and one JS bundle, name each after a hash of its bytes, "
    "and write down in manifest.json which real file 'site.css' and 'site.js' are. Same "
    "sources, same names; one changed byte, a new name.",
    "07-build-time-assets.q1.hint.2": "sorted(src.glob('*.css')) gives the sources in a "
    "fixed order; b'\\n'.join(p.read_bytes() for p in ...) is the bundle; "
    "hashlib.sha256(data).hexdigest()[:12] is its fingerprint. Write the bundle to "
    "out / f'site.{digest}.css', and json.dumps({'site.css': ..., 'site.js': ...}) to "
    "out / 'manifest.json'. No timestamps, no random numbers.",
    "07-build-time-assets.q2.title": "07 · q2 · pages that link the release's own bundles",
    "07-build-time-assets.q2.hint.1": "At run time the app only reads: the manifest of the "
    "release it runs from (RELEASE_DIR/static/manifest.json), once at start, and the files "
    "next to it. It never bundles, never writes into the release, and never keeps asset "
    "names anywhere that outlives the release (the code, Redis).",
    "07-build-time-assets.q2.hint.2": "STATIC = Path(os.environ['RELEASE_DIR']) / 'static'; "
    "MANIFEST = json.loads((STATIC / 'manifest.json').read_text()); asset_url(name) returns "
    "'/static/' + MANIFEST[name]; the /static/<name> route answers "
    "send_from_directory(STATIC, name).",
    "07.summary.bundles": "The build made one CSS and one JS bundle with the exact content, "
    "listed in manifest.json.",
    "07.summary.fingerprints": "Same sources gave the same names; a changed stylesheet gave "
    "the CSS bundle a new name and left the JS bundle's name alone.",
    "07.summary.serves_release": "Every page on every process linked bundles that exist in "
    "its release and match it.",
    "07.summary.rolling_deploy": "Before, during and after the rolling deploy, every page "
    "linked the bundles of the release its process ran, and no URL ever changed content.",
    # -- reasons and next steps ---------------------------------------------------------
    "reason.build_failed": "The build step did not finish: {error}",
    "next.build_failed": "Run build(Path('assets'), Path('out')) in the notebook and read "
    "the error; the build gets two pathlib.Path folders and returns nothing.",
    "reason.manifest_entry": "manifest.json does not map {logical!r} to a file the build wrote.",
    "expected.manifest": '{"site.css": "site.<hash>.css", "site.js": "site.<hash>.js"}, '
    "both files in out",
    "reason.wrong_bundle": "The file {name} that the manifest names for {logical!r} does not "
    "hold the bundle: every source of that kind, sorted by name, joined with a newline.",
    "next.wrong_bundle": "Bundle with b'\\n'.join(p.read_bytes() for p in "
    "sorted(src.glob('*.css'))) (and the same for .js), and write the manifest with "
    "both entries.",
    "reason.build_not_repeatable": "Two builds of the very same sources named {logical!r} "
    "differently (or wrote different bytes). A name that changes without the content "
    "changing makes every browser download the bundle again after every deploy.",
    "next.build_not_repeatable": "Derive the name from the content only: a hash of the "
    "bundle's bytes, never the time, a counter or a random number.",
    "expected.same_name": "the same name for the same content",
    "reason.not_fingerprinted": "A stylesheet changed, but the CSS bundle kept its name "
    "{name}. Browsers and CDNs that cached the old file under that name go on serving it.",
    "next.not_fingerprinted": "Hash the bundle's bytes (hashlib.sha256(data)), not its "
    "name, and put the hash in the file name.",
    "reason.name_changed_without_change": "Only a stylesheet changed, but the JS bundle "
    "got a new name too (it was {name}).",
    "next.name_changed_without_change": "Hash each bundle's own bytes.",
    "expected.new_name": "a new name, because the content changed",
    "reason.links_missing": "The page that pid {pid} served links fewer than two assets "
    "(a <link href=...> for the CSS and a <script src=...> for the JS).",
    "expected.links": '<link rel="stylesheet" href="/static/site.<hash>.css"> and '
    '<script src="/static/site.<hash>.js">',
    "reason.asset_missing": "The page from pid {pid} (release {release}) links {url}, but "
    "that same process answered {status} or other bytes than the release's bundle: the page "
    "and the files it links do not belong together.",
    "next.asset_missing": "Read the names from the manifest of the release the process runs "
    "from (RELEASE_DIR), at start; never write them into the code or keep them in Redis, "
    "where another release's processes find them.",
    "reason.url_reused": "{url} gave different bytes in release {old} and in release {new}. "
    "A browser or a CDN that cached it under release {old} keeps serving the stale bundle.",
    "next.url_reused": "Link the fingerprinted names from the manifest: a URL whose name "
    "holds the content's hash never needs to change its content.",
    "reason.compiled_at_run_time": "The app looked for asset sources at run time. A release "
    "holds the app and what the build made, not the sources: bundling belongs to the build.",
    "next.compiled_at_run_time": "Do not bundle in the web process: read the manifest and "
    "serve the files the build wrote into RELEASE_DIR/static.",
    "reason.write_into_release": "pid {pid} tried to write {path}: the release is read-only "
    "at run time (and a process may only write to its own disk).",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.bundles": "bundles",
    "part.fingerprints": "fingerprints",
    "part.serves_release": "serves release",
    "part.rolling_deploy": "rolling deploy",
}
