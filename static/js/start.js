// Starts the NHS design system's components (header menu, skip link, buttons, error summary).
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();
