import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { LoginPage } from './features/auth/login-page.tsx';
import { RequireUser } from './features/auth/require-user.tsx';
import { Layout } from './components/layout.tsx';
import { ProjectsPage } from './features/projects/projects-page.tsx';

// Pages a labeler rarely opens are split out, so the ranking page loads less script.
const ProjectPage = lazy(() => import('./features/projects/project-page.tsx').then((m) => ({ default: m.ProjectPage })));
const LabelPage = lazy(() => import('./features/label/label-page.tsx').then((m) => ({ default: m.LabelPage })));
const ResultsPage = lazy(() => import('./features/results/results-page.tsx').then((m) => ({ default: m.ResultsPage })));
// The charts arrive with the agreement page only.
const AgreementPage = lazy(() => import('./features/agreement/agreement-page.tsx').then((m) => ({ default: m.AgreementPage })));
const LeaderboardPage = lazy(() => import('./features/leaderboard/leaderboard-page.tsx').then((m) => ({ default: m.LeaderboardPage })));
const ReviewPage = lazy(() => import('./features/review/review-page.tsx').then((m) => ({ default: m.ReviewPage })));
const ExportPage = lazy(() => import('./features/export/export-page.tsx').then((m) => ({ default: m.ExportPage })));
const AdminPage = lazy(() => import('./features/admin/admin-page.tsx').then((m) => ({ default: m.AdminPage })));
const AccountPage = lazy(() => import('./features/account/account-page.tsx').then((m) => ({ default: m.AccountPage })));
// The API description is fetched with its page only.
const ApiDocsPage = lazy(() => import('./features/api-docs/api-docs-page.tsx').then((m) => ({ default: m.ApiDocsPage })));
const InvitePage = lazy(() => import('./features/account/invite-page.tsx').then((m) => ({ default: m.InvitePage })));

export function AppRoutes() {
  return (
    <Suspense fallback={<p className="muted pad">Loading…</p>}>
      <Switch>
        <Route path="/login" component={LoginPage} />
        {/* the invited person has no account yet */}
        <Route path="/invite/:token" component={InvitePage} />
        <Route>
          <RequireUser>
            <Layout>
              <Switch>
                <Route path="/">
                  <Redirect to="/projects" replace />
                </Route>
                <Route path="/projects" component={ProjectsPage} />
                <Route path="/projects/:id" component={ProjectPage} />
                <Route path="/projects/:id/label" component={LabelPage} />
                <Route path="/projects/:id/review" component={ReviewPage} />
                <Route path="/projects/:id/agreement" component={AgreementPage} />
                <Route path="/projects/:id/leaderboard" component={LeaderboardPage} />
                <Route path="/projects/:id/results" component={ResultsPage} />
                <Route path="/projects/:id/export" component={ExportPage} />
                <Route path="/admin" component={AdminPage} />
                <Route path="/account" component={AccountPage} />
                <Route path="/api-docs" component={ApiDocsPage} />
                <Route>
                  <p className="pad">This page does not exist.</p>
                </Route>
              </Switch>
            </Layout>
          </RequireUser>
        </Route>
      </Switch>
    </Suspense>
  );
}
