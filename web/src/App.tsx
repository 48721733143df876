/**
 * The app shell: header with navigation and theme toggle, a skip link, the main landmark,
 * and the routes. Only the course home is in the entry chunk; the lesson reader, the exercise
 * workspace (CodeMirror) and the workbench are route chunks loaded on first visit.
 */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Loading } from './components/States';
import { CourseHome } from './pages/CourseHome';
import { NotFound } from './pages/NotFound';
import { useTheme } from './theme';

const LessonPage = lazy(() => import('./pages/LessonPage'));
const ExercisePage = lazy(() => import('./pages/ExercisePage'));
const WorkbenchPage = lazy(() => import('./pages/WorkbenchPage'));
// Interview prep: each page is its own chunk (the review page has a JS budget: docs/benchmarks.md).
const DrillsHome = lazy(() => import('./pages/drills/DrillsHome'));
const ReviewPage = lazy(() => import('./pages/drills/ReviewPage'));
const BrowsePage = lazy(() => import('./pages/drills/BrowsePage'));
const QuickFirePage = lazy(() => import('./pages/drills/QuickFirePage'));
const MockInterviewPage = lazy(() => import('./pages/drills/MockInterviewPage'));
const SessionReportPage = lazy(() => import('./pages/drills/SessionReportPage'));
const MockHistoryPage = lazy(() => import('./pages/drills/MockHistoryPage'));

function NavLink({
  href,
  children,
  match,
}: {
  href: string;
  children: string;
  match: (path: string) => boolean;
}) {
  const [location] = useLocation();
  const current = match(location);
  return (
    <Link
      href={href}
      className={`nav-link${current ? ' is-current' : ''}`}
      aria-current={current ? 'page' : undefined}
    >
      {children}
    </Link>
  );
}

function ThemeToggle() {
  const { theme, toggle } = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={toggle}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}

/** Moves focus to the main landmark on navigation, so screen readers announce the new page. */
function useFocusOnNavigate(ref: React.RefObject<HTMLElement | null>) {
  const [location] = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!location.includes('#')) window.scrollTo(0, 0);
    ref.current?.focus({ preventScroll: true });
  }, [location, ref]);
}

export function App() {
  const main = useRef<HTMLElement>(null);
  const [location] = useLocation();
  useFocusOnNavigate(main);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href="/" className="brand" aria-label="perflab home">
            <span className="brand-mark" aria-hidden="true">
              ▚
            </span>
            perflab
          </Link>
          <nav aria-label="Main" className="site-nav">
            <NavLink
              href="/"
              match={(p) => p === '/' || p.startsWith('/lessons') || p.startsWith('/exercises')}
            >
              Course
            </NavLink>
            <NavLink href="/drills" match={(p) => p.startsWith('/drills')}>
              Interview prep
            </NavLink>
            <NavLink href="/workbench" match={(p) => p.startsWith('/workbench')}>
              Workbench
            </NavLink>
          </nav>
          <ThemeToggle />
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <ErrorBoundary key={location} what="This page">
          <Suspense fallback={<Loading />}>
            <Switch>
              <Route path="/" component={CourseHome} />
              <Route path="/lessons/:id">{(params) => <LessonPage key={params.id} id={params.id} />}</Route>
              <Route path="/exercises/:id">
                {(params) => <ExercisePage key={params.id} id={params.id} />}
              </Route>
              <Route path="/workbench" component={WorkbenchPage} />
              <Route path="/drills" component={DrillsHome} />
              <Route path="/drills/review" component={ReviewPage} />
              <Route path="/drills/browse/:module">
                {(params) => <BrowsePage key={params.module} module={params.module} />}
              </Route>
              <Route path="/drills/quick-fire" component={QuickFirePage} />
              <Route path="/drills/mock" component={MockInterviewPage} />
              <Route path="/drills/history" component={MockHistoryPage} />
              <Route path="/drills/sessions/:id">
                {(params) => <SessionReportPage key={params.id} id={params.id} />}
              </Route>
              <Route>
                <NotFound />
              </Route>
            </Switch>
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}
