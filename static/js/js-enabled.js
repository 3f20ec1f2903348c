// Loaded at the top of <body>, before anything is drawn: tells the NHS design system's CSS that
// JavaScript runs (and whether the browser is modern enough for its components).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
