import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { LoginPage } from './features/auth/login-page.tsx';
import { RequireUser } from './features/auth/require-user.tsx';
import { Layout } from './components/layout.tsx';
import { ProjectsPage } from './features/projects/projects-page.tsx';

// Pages a labeler rarely opens are split out, so the ranking page loads less script.
const ProjectPage = lazy(() => import('./features/projects/project-page.tsx').then((m) => ({ default: m.ProjectPage })));
const LabelPage = lazy(() => import('./features/label/label-page.tsx').then((m) => ({ default: m.LabelPage })));
const ResultsPage = lazy(() => import('./features/results/results-page.tsx').then((m) => ({ default: m.ResultsPage })));
// chart.js arrives with the agreement page only.
const AgreementPage = lazy(() => import('./features/agreement/agreement-page.tsx').then((m) => ({ default: m.AgreementPage })));
const ReviewPage = lazy(() => import('./features/review/review-page.tsx').then((m) => ({ default: m.ReviewPage })));
const ExportPage = lazy(() => import('./features/export/export-page.tsx').then((m) => ({ default: m.ExportPage })));
const AdminPage = lazy(() => import('./features/admin/admin-page.tsx').then((m) => ({ default: m.AdminPage })));
const AccountPage = lazy(() => import('./features/account/account-page.tsx').then((m) => ({ default: m.AccountPage })));
const InvitePage = lazy(() => import('./features/account/invite-page.tsx').then((m) => ({ default: m.InvitePage })));

export function AppRoutes() {
  return (
    <Suspense fallback={<p className="muted pad">Loading…</p>}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {/* the invited person has no account yet */}
        <Route path="/invite/:token" element={<InvitePage />} />
        <Route element={<RequireUser />}>
          <Route element={<Layout />}>
            <Route path="/" element={<Navigate to="/projects" replace />} />
            <Route path="/projects" element={<ProjectsPage />} />
            <Route path="/projects/:id" element={<ProjectPage />} />
            <Route path="/projects/:id/label" element={<LabelPage />} />
            <Route path="/projects/:id/review" element={<ReviewPage />} />
            <Route path="/projects/:id/agreement" element={<AgreementPage />} />
            <Route path="/projects/:id/results" element={<ResultsPage />} />
            <Route path="/projects/:id/export" element={<ExportPage />} />
            <Route path="/admin" element={<AdminPage />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="*" element={<p className="pad">This page does not exist.</p>} />
          </Route>
        </Route>
      </Routes>
    </Suspense>
  );
}
